/**
 * Repeated checks for `ping` and `check --count`: one check (lib/check) per interval on a fresh
 * connection, each streamed as an attempt as it ends, then the ping-style summary. Stops at the
 * count, the deadline or an interrupt (exit 130, the summary still printed).
 * @module
 */
import type { CheckOptions, CheckResult, CheckTarget } from "../../../check/types.ts";
import type { NetAdapter } from "../../../net/types.ts";
import { openDocumentStream } from "../../../output/document_emit.ts";
import type { OutputFormat } from "../../../output/format.ts";
import { addressFamily } from "../../../output/format.ts";
import {
  type PingAttempt,
  pingHeader,
  type PingKind,
  pingSummary,
  pingView,
} from "../../../output/views/ping_view.ts";
import type { NetdiagContext } from "../../context.ts";
import { interruptible } from "../../interrupt.ts";

/** The engine's `check`, as the command loads it. */
export type CheckFunction = (
  adapter: NetAdapter,
  options: CheckOptions,
  hooks?: undefined,
  signal?: AbortSignal,
) => Promise<CheckResult>;

/** How often and how long to repeat. */
export interface RepeatPlan {
  readonly count?: number;
  readonly intervalMs: number;
  readonly deadlineMs?: number;
}

/** What the attempts are, from the target: an HTTP request, a TLS handshake or a TCP connect. */
export function pingKind(target: CheckTarget, tls: boolean | undefined): PingKind {
  return target.scheme === "tcp" ? (tls ? "tls" : "tcp") : "http";
}

/** One check as an attempt. */
export function attemptOf(seq: number, startedAt: Date, result: CheckResult): PingAttempt {
  const hop = result.hops[result.hops.length - 1];
  const address = hop?.connect.address ?? hop?.connect.attempts.at(-1)?.address ?? null;
  // A Unix socket: its path is the address; no port, no family.
  const unix = hop?.connect.port === 0 && address !== null;
  const v = result.verdict;
  return {
    seq,
    ok: v.ok,
    address,
    ...(unix ? { path: address } : {}),
    port: hop && !unix ? hop.connect.port : null,
    family: address === null || unix ? null : addressFamily(address),
    timeMs: Math.round(result.totalMs * 1000) / 1000,
    reason: v.ok ? null : v.reason,
    message: v.ok ? null : v.detail,
    status: hop?.http?.statusCode ?? null,
    startedAt: startedAt.toISOString(),
    timings: hop?.timings ?? null,
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs the checks and streams them: the attempts as they end, then the summary (exit 0 when one
 * succeeded, 1 when every one failed, 130 after an interrupt). An attempt cut short by the
 * deadline or the interrupt is not counted.
 */
export async function repeatChecks(
  context: NetdiagContext,
  format: OutputFormat,
  command: string,
  run: { check: CheckFunction; adapter: NetAdapter; options: CheckOptions; input: string },
  kind: PingKind,
  plan: RepeatPlan,
): Promise<void> {
  const stop = interruptible(context.io);
  const signals = [stop.signal];
  if (plan.deadlineMs !== undefined) signals.push(AbortSignal.timeout(plan.deadlineMs));
  const signal = signals.length > 1 ? AbortSignal.any(signals) : stop.signal;
  const out = openDocumentStream(context, format, pingView(command, kind));
  if (format === "human") context.io.write("stdout", pingHeader(run.input, kind));
  const attempts: PingAttempt[] = [];
  const began = performance.now();
  try {
    for (let seq = 1; plan.count === undefined || seq <= plan.count; seq++) {
      if (signal.aborted) break;
      const start = performance.now();
      const startedAt = new Date();
      const result = await run.check(run.adapter, run.options, undefined, signal);
      if (signal.aborted) break;
      const attempt = attemptOf(seq, startedAt, result);
      attempts.push(attempt);
      out.item(attempt);
      if (plan.count !== undefined && seq >= plan.count) break;
      await pause(plan.intervalMs - (performance.now() - start), signal);
    }
  } finally {
    stop.remove();
  }
  out.end(pingSummary(run.input, kind, attempts, performance.now() - began), stop.fired);
}

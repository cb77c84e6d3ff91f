/**
 * Repeated checks, tcping-style: `count` attempts `intervalMs` apart (or until `deadlineMs`),
 * each a full {@link check}, then a ping-style summary.
 * @module
 */
import type { NetAdapter } from "../net/types.ts";
import { check } from "./check.ts";
import type { CheckOptions, CheckResult } from "./types.ts";

/** Options of {@link pingRun}: a check's options plus the repeat. */
export interface PingOptions extends Omit<CheckOptions, "allAddrs"> {
  /** Attempts; default 4 (0: until the deadline or the signal). */
  readonly count?: number;
  /** Milliseconds between attempt starts; default 1000. */
  readonly intervalMs?: number;
  /** Stop after this many milliseconds in all. */
  readonly deadlineMs?: number;
}

/** One attempt. */
export interface PingAttempt {
  readonly seq: number;
  readonly ok: boolean;
  /** The connected address. */
  readonly address?: string;
  /** Total time of the check (ms). */
  readonly ms: number;
  readonly result: CheckResult;
}

/** The summary, as ping prints it. */
export interface PingSummary {
  readonly sent: number;
  readonly received: number;
  readonly lossPercent: number;
  /** Over successful attempts (ms); absent when none succeeded. */
  readonly min?: number;
  readonly avg?: number;
  readonly max?: number;
  readonly mdev?: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p99?: number;
  readonly longestUp: number;
  readonly longestDown: number;
  readonly interrupted: boolean;
  /** 0 some succeeded, 1 every attempt failed (as ping). */
  readonly exitCode: 0 | 1;
}

/** Callbacks of {@link pingRun}. */
export interface PingHooks {
  onAttempt?(attempt: PingAttempt): void;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** The summary of attempts (in order). */
export function summarisePing(
  attempts: readonly { ok: boolean; ms: number }[],
  interrupted = false,
): PingSummary {
  const times = attempts.filter((a) => a.ok).map((a) => a.ms);
  let up = 0, down = 0, longestUp = 0, longestDown = 0;
  for (const a of attempts) {
    if (a.ok) (up++, down = 0);
    else (down++, up = 0);
    longestUp = Math.max(longestUp, up);
    longestDown = Math.max(longestDown, down);
  }
  const sent = attempts.length;
  const received = times.length;
  const base = {
    sent,
    received,
    lossPercent: sent ? ((sent - received) / sent) * 100 : 0,
    longestUp,
    longestDown,
    interrupted,
    exitCode: (received === 0 && sent > 0 ? 1 : 0) as 0 | 1,
  };
  if (!received) return base;
  const sorted = [...times].sort((a, b) => a - b);
  const avg = times.reduce((s, t) => s + t, 0) / received;
  const mdev = Math.sqrt(times.reduce((s, t) => s + t * t, 0) / received - avg * avg);
  return {
    ...base,
    min: sorted[0],
    avg,
    max: sorted[sorted.length - 1],
    mdev: Number.isFinite(mdev) ? mdev : 0,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

/** Runs the attempts (see the module); an abort of `signal` ends early with the summary so far. */
export async function pingRun(
  adapter: NetAdapter,
  options: PingOptions,
  hooks: PingHooks = {},
  signal?: AbortSignal,
): Promise<{ attempts: PingAttempt[]; summary: PingSummary }> {
  const count = options.count ?? 4;
  const interval = options.intervalMs ?? 1000;
  const started = performance.now();
  const attempts: PingAttempt[] = [];
  const expired = () =>
    options.deadlineMs !== undefined && performance.now() - started >= options.deadlineMs;
  for (let seq = 1; count === 0 || seq <= count; seq++) {
    if (signal?.aborted || expired()) break;
    const t0 = performance.now();
    let result: CheckResult;
    try {
      result = await check(adapter, options, {}, signal);
    } catch (error) {
      if (signal?.aborted) break;
      throw error;
    }
    const last = result.hops[result.hops.length - 1];
    const attempt: PingAttempt = {
      seq,
      ok: result.verdict.ok,
      ...(last?.connect.address ? { address: last.connect.address } : {}),
      ms: last ? last.timings.cumulativeMs.total : result.totalMs,
      result,
    };
    attempts.push(attempt);
    hooks.onAttempt?.(attempt);
    if (count !== 0 && seq >= count) break;
    const wait = interval - (performance.now() - t0);
    if (wait > 0) await sleep(wait, signal);
  }
  return { attempts, summary: summarisePing(attempts, !!signal?.aborted) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * The resolve stage of a hop: a `--resolve` entry, an IP literal, or a lookup through
 * lib/resolve (loaded on first use, so a check that never looks a name up never loads it);
 * skipped for a Unix socket.
 * @module
 */
import { ipFamily } from "../net/host_lookup.ts";
import type { NetAdapter } from "../net/types.ts";
import type { Address } from "./connect.ts";
import type { StageFailure } from "./stage_failure.ts";
import type { ResolveEntry } from "./target.ts";
import type { CheckOptions, CheckReason, CheckTarget, ResolveStage } from "./types.ts";

/** The outcome of {@link resolveStage}. */
export interface ResolveOutcome {
  readonly stage: ResolveStage;
  readonly fail?: StageFailure;
}

const familyOf = (a: string) => (ipFamily(a) === 6 ? 6 : 4) as 4 | 6;

/** Resolves `target.host` (see the module); never rejects for a lookup's failure. */
export async function resolveStage(
  adapter: NetAdapter,
  target: CheckTarget,
  options: CheckOptions,
  entries: readonly ResolveEntry[],
  signal?: AbortSignal,
): Promise<ResolveOutcome> {
  if (target.socketPath !== undefined || options.unixSocket !== undefined) {
    return { stage: { status: "skipped", ms: 0, source: "literal", addresses: [] } };
  }
  const keep = (list: Address[]) =>
    options.family ? list.filter((a) => a.family === options.family) : list;
  const entry = entries.find((e) => e.host === target.host.toLowerCase() && e.port === target.port);
  if (entry) {
    const addresses = keep(entry.addresses.map((a) => ({ address: a, family: familyOf(a) })));
    return { stage: { status: "ok", ms: 0, source: "resolve", addresses } };
  }
  if (ipFamily(target.host)) {
    const addresses = [{ address: target.host, family: familyOf(target.host) }];
    return { stage: { status: "ok", ms: 0, source: "literal", addresses } };
  }
  return await lookUp(adapter, target, options, keep, signal);
}

async function lookUp(
  adapter: NetAdapter,
  target: CheckTarget,
  options: CheckOptions,
  keep: (list: Address[]) => Address[],
  signal?: AbortSignal,
): Promise<ResolveOutcome> {
  const { resolve } = await import("../resolve/mod.ts");
  const t0 = performance.now(); // after loading: the module's first load is not DNS time
  const batch = await resolve(
    adapter,
    {
      names: [target.host],
      source: options.source ?? "system",
      ...(options.server ? { server: options.server } : {}),
      ...(options.hostsFile ? { hostsFile: options.hostsFile } : {}),
      ...(options.family ? { family: options.family } : {}),
      timeoutMs: options.timeoutMs ?? 10_000,
    },
    {},
    signal,
  );
  signal?.throwIfAborted();
  const ms = performance.now() - t0;
  const result = batch.results[0];
  const answer = result?.answers.find((a) => a.status === "ok" && a.addresses.length) ??
    result?.answers[0];
  const addresses = keep(
    (answer?.addresses ?? []).map((a) => ({ address: a.address, family: a.family })),
  );
  const base = {
    ms,
    source: answer?.source ?? "system",
    ...(answer?.from ? { from: answer.from } : {}),
    ...(answer?.canonicalName ? { canonicalName: answer.canonicalName } : {}),
    ...(answer?.aliases?.length ? { aliases: answer.aliases } : {}),
    addresses,
  } as const;
  if (result?.status === "ok" && addresses.length) return { stage: { status: "ok", ...base } };
  const status = result?.status ?? "failure";
  const reason: CheckReason = status === "not-found"
    ? "dns_nxdomain"
    : status === "no-data" || status === "ok"
    ? "dns_no_data"
    : status === "timeout"
    ? "dns_timeout"
    : "dns_failure";
  const detail = `${target.host}: ${answer?.reason ?? status}`;
  return {
    stage: { status: "failed", ...base, error: detail },
    fail: { stage: "resolve", reason, detail },
  };
}

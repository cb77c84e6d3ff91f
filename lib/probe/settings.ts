/**
 * What `probe` and `waitUntilOpen` derive alike from their options: each attempt's options, the
 * rate limit's pace, and the settings their summary repeats.
 * @module
 */
import { createRateLimiter } from "../core/rate_limiter.ts";
import type { AttemptOptions } from "./attempt.ts";
import { PROBE_DEFAULTS, type WaitOptions } from "./options.ts";
import type { PreparedPlan } from "./prepare.ts";
import type { SummaryBase } from "./run.ts";

/** The options both engines take (a wait takes no `threads`). */
export type SharedOptions = Omit<WaitOptions, "waitMs" | "intervalMs">;

/** The options of each attempt of a run. */
export function attemptOptions(
  options: SharedOptions,
  prepared: PreparedPlan,
  lingerLimit: number,
  signal: AbortSignal | undefined,
  remainingMs?: () => number,
): AttemptOptions {
  return {
    protocol: prepared.protocol,
    timeoutMs: options.timeoutMs ?? PROBE_DEFAULTS.timeoutMs,
    lingerLimit,
    retries: options.retries ?? PROBE_DEFAULTS.retries,
    payload: options.payload ?? new Uint8Array(0),
    serviceOf: (port) => prepared.byPort.get(port) ?? null,
    ...(remainingMs ? { remainingMs } : {}),
    ...(signal ? { signal } : {}),
  };
}

/** The rate limit's pace, when there is one. */
export function pacing(options: SharedOptions): { pace?: () => number } {
  if (!options.rate) return {};
  const limiter = createRateLimiter(options.rate);
  return { pace: () => limiter.reserve() };
}

/** The settings part of a summary, but the sizes and the wait. */
export function summarySettings(
  options: SharedOptions,
  protocol: "tcp" | "udp",
): Omit<SummaryBase, "concurrency" | "threads" | "wait"> {
  return {
    targets: [...options.targets],
    protocol,
    expect: options.expect ?? PROBE_DEFAULTS.expect,
    match: options.match ?? PROBE_DEFAULTS.match,
    timeoutMs: options.timeoutMs ?? PROBE_DEFAULTS.timeoutMs,
    retries: options.retries ?? PROBE_DEFAULTS.retries,
    rate: options.rate ?? null,
  };
}

/**
 * The probe engine: is it open? TCP and UDP ports and Unix sockets, one endpoint or a scan of
 * ranges and IPv4 blocks, through a sliding window of cheap connects (large TCP scans over
 * threads). Reports through its {@link ProbeRun} and hooks; never prints.
 * @module
 */
import { meetsExpectation, type ProbeResult } from "../core/probe_result.ts";
import { netAdapter } from "../net/adapter.ts";
import type { NetAdapter } from "../net/types.ts";
import { PROBE_DEFAULTS, type ProbeOptions } from "./options.ts";
import { packedState } from "./packed_result.ts";
import { type PreparedPlan, preparePlan, resolveHosts } from "./prepare.ts";
import { type OrderedProbeRun, startRun } from "./run.ts";
import { scanRound } from "./scan.ts";
import { attemptOptions, pacing, summarySettings } from "./settings.ts";
import { MIN_PROBES_PER_THREAD, sizeScan } from "./sizing.ts";

/** What a run settled on before its first probe. */
export interface ProbePlanInfo {
  /** Endpoints in the plan. */
  readonly planned: number;
  /** Threads it runs in. */
  readonly threads: number;
  /** Probes in flight at most, over all threads. */
  readonly concurrency: number;
}

/** Callbacks of {@link probe}: what a caller may show while the run goes on. */
export interface ProbeHooks {
  /** The plan is made and sized (names resolved); called once, before any probe. */
  onPlan?(plan: ProbePlanInfo): void;
  /** An endpoint's result as it completes (the same results, in the same order, as iterating). */
  onResult?(result: ProbeResult): void;
}

/**
 * Probes every endpoint of `options.targets` once and reports each state (`open`, `closed`,
 * `filtered`, `open|filtered`, `error`). Bad input (a malformed target, an unknown service) and
 * a host name that cannot be resolved reject the run's summary and end its iteration with the
 * error. Once `signal` aborts, no further probe starts; those in flight finish (a TCP connect
 * within its timeout) and the run ends with what was found.
 *
 * @example
 * ```ts ignore
 * import { netAdapter } from "../net/mod.ts";
 * import { probe } from "./mod.ts";
 * const run = probe(await netAdapter(), { targets: ["127.0.0.1:1-1024"] });
 * for await (const r of run) if (r.state === "open") console.log(r.port);
 * const summary = await run.summary; // summary.counts.open, summary.met, …
 * ```
 */
export function probe(
  adapter: NetAdapter,
  options: ProbeOptions,
  hooks: ProbeHooks = {},
  signal?: AbortSignal,
): OrderedProbeRun {
  return startRun(async (state) => {
    const prepared = await preparePlan(options);
    const planned = await resolveHosts(prepared.planned, new Map(), {
      family: options.family,
      signal,
    });
    state.plan(prepared.total);
    state.describe({ planned, byPort: prepared.byPort });
    const size = await sizeScan({
      adapter,
      total: prepared.total,
      threadable: await threadable(adapter, prepared, options),
      threads: options.threads,
      concurrency: options.concurrency,
      openFileLimit: options.openFileLimit,
    });
    hooks.onPlan?.({
      planned: prepared.total,
      threads: size.shards,
      concurrency: size.shardWindow * size.shards,
    });
    const expect = options.expect ?? PROBE_DEFAULTS.expect;
    state.nextRound();
    const threads = await scanRound(
      {
        adapter,
        planned,
        size,
        attempt: attemptOptions(options, prepared, size.shardLinger, signal),
        window: { limit: size.shardWindow },
        byPort: prepared.byPort,
        ...pacing(options),
      },
      {
        result(result, index, task) {
          state.record(index, result, meetsExpectation(result, expect), task);
          state.finalize(index);
          hooks.onResult?.(result);
        },
        packed(index, word, latency) {
          state.recordPacked(index, word, latency, packedState(word) === expect);
          state.finalize(index);
          if (hooks.onResult) hooks.onResult(state.resultOf(index)!);
        },
      },
    );
    return state.summary({
      ...summarySettings(options, prepared.protocol),
      concurrency: size.shardWindow * threads,
      threads,
      wait: null,
    });
  });
}

/**
 * Whether a plan may be split over threads: TCP, no rate limit, more than one thread wanted
 * (asked for, or by the plan's size), and the runtime's own adapter (workers load it themselves).
 */
async function threadable(
  adapter: NetAdapter,
  prepared: PreparedPlan,
  options: ProbeOptions,
): Promise<boolean> {
  if (prepared.protocol !== "tcp" || options.rate) return false;
  const wanted = options.threads ?? Math.floor(prepared.total / MIN_PROBES_PER_THREAD);
  return wanted > 1 && prepared.total > 1 && adapter === await netAdapter();
}

/**
 * Waiting for endpoints: a probe repeated in rounds until every endpoint (or one) is in the
 * expected state or the deadline passes, for `probe --wait` (a database coming up before a
 * migration, a server going down).
 * @module
 */
import { conditionMet, meetsExpectation } from "../core/probe_result.ts";
import type { NetAdapter } from "../net/types.ts";
import { PROBE_DEFAULTS, type WaitOptions } from "./options.ts";
import type { PlannedTarget } from "./plan.ts";
import { preparePlan, resolveHosts } from "./prepare.ts";
import { type OrderedProbeRun, pause, startRun } from "./run.ts";
import { packedState } from "./packed_result.ts";
import { type Recorder, scanRound } from "./scan.ts";
import { attemptOptions, pacing, summarySettings } from "./settings.ts";
import { sizeScan } from "./sizing.ts";

/**
 * Probes the endpoints of `options.targets` in rounds, every `intervalMs`, re-probing only those
 * not yet in the expected state (`expect`, default `open`), until every one is in it (`match:
 * "any"`: one) or `waitMs` have passed; no attempt outlives the deadline. A name that does not
 * resolve yet is looked up again each round (its endpoints are `error` `ENOTFOUND` meanwhile).
 * The summary's `met` says whether the condition holds, `wait` how long it took. Iterating the
 * run yields each endpoint when it reaches the state, the others' last results at the end.
 * Once `signal` aborts, no further probe or round starts and the run ends with what was found.
 *
 * @example
 * ```ts ignore
 * import { netAdapter } from "../net/mod.ts";
 * import { waitUntilOpen } from "./mod.ts";
 * const run = waitUntilOpen(await netAdapter(), { targets: ["db:5432"], waitMs: 30_000 });
 * if ((await run.summary).met) console.log("the database is up");
 * ```
 */
export function waitUntilOpen(
  adapter: NetAdapter,
  options: WaitOptions,
  signal?: AbortSignal,
): OrderedProbeRun {
  return startRun(async (state) => {
    const prepared = await preparePlan(options);
    const deadline = state.startedAt + options.waitMs;
    const intervalMs = options.intervalMs ?? PROBE_DEFAULTS.intervalMs;
    const expect = options.expect ?? PROBE_DEFAULTS.expect;
    const match = options.match ?? PROBE_DEFAULTS.match;
    const cache = new Map<string, readonly string[]>();
    const resolve = () =>
      resolveHosts(prepared.planned, cache, {
        family: options.family,
        deadline,
        lenient: true,
        signal,
      });
    let planned: readonly PlannedTarget[] = await resolve();
    state.plan(prepared.total, deadline);
    state.describe({ planned, byPort: prepared.byPort });
    const size = await sizeScan({
      adapter,
      total: prepared.total,
      threadable: false,
      concurrency: options.concurrency,
      openFileLimit: options.openFileLimit,
    });
    const remainingMs = () => deadline - performance.now();
    const context = {
      adapter,
      size,
      attempt: attemptOptions(options, prepared, size.shardLinger, signal, remainingMs),
      window: { limit: size.shardWindow },
      byPort: prepared.byPort,
      ...pacing(options),
    };
    const record: Recorder = {
      result(result, index, task) {
        const met = meetsExpectation(result, expect);
        state.record(index, result, met, task);
        if (met) state.finalize(index);
      },
      packed(index, word, latency) {
        const met = packedState(word) === expect;
        state.recordPacked(index, word, latency, met);
        if (met) state.finalize(index);
      },
    };
    for (;;) {
      state.nextRound();
      await scanRound({ ...context, planned }, record, state.satisfied);
      if (signal?.aborted || conditionMet(state.satisfied.size, prepared.total, match)) break;
      if (remainingMs() <= 0) break;
      await pause(Math.min(intervalMs, remainingMs()), signal);
      if (signal?.aborted || remainingMs() <= 0) break;
      if (planned.some((p) => p.addresses?.length === 0)) {
        planned = await resolve();
        state.describe({ planned, byPort: prepared.byPort });
      }
    }
    for (const index of state.unsettled()) state.finalize(index);
    return state.summary({
      ...summarySettings(options, prepared.protocol),
      concurrency: size.shardWindow,
      threads: 1,
      wait: { timeoutMs: options.waitMs, intervalMs, rounds: state.round },
    });
  });
}

/**
 * Port probes for library users: `probe` (one pass: is it open?) and `waitUntilOpen` (rounds
 * until every endpoint, or one, is open or closed, or the time is up), on the runtime's socket
 * adapter. Both return a `ProbeRun` at once: iterate it for the results as they come, or await
 * its `summary` / `result()`.
 * @module
 */
import type { ProbeProgress } from "../core/probe_result.ts";
import { netAdapter } from "../net/mod.ts";
import {
  probe as probeEngine,
  type ProbeHooks,
  type ProbeOptions,
  type ProbeResult,
  type ProbeRun,
  type WaitOptions,
  waitUntilOpen as waitEngine,
} from "../probe/mod.ts";

/** Options of {@link probe}: the engine's `ProbeOptions` (only `targets` is required) and a signal. */
export interface ProbeRunOptions extends ProbeOptions {
  /**
   * Once aborted, no further probe starts; those in flight finish (within their timeout) and
   * the run ends with what was found.
   */
  readonly signal?: AbortSignal;
}

/** Options of {@link waitUntilOpen}: the engine's `WaitOptions` (`targets`, `waitMs`) and a signal. */
export interface WaitRunOptions extends WaitOptions {
  /** Once aborted, no further probe or round starts and the run ends with what was found. */
  readonly signal?: AbortSignal;
}

const NOT_STARTED: ProbeProgress = {
  planned: 0,
  done: 0,
  satisfied: 0,
  round: 0,
  remainingMs: null,
};

/** A run that starts as soon as the adapter is loaded (at once after the first call). */
function deferredRun(start: () => Promise<ProbeRun>): ProbeRun {
  let started: ProbeRun | undefined;
  const run = start().then((r) => (started = r));
  const summary = run.then((r) => r.summary);
  summary.catch(() => {}); // the caller may only iterate: no unhandled rejection
  return {
    summary,
    result: () => run.then((r) => r.result()),
    progress: () => started?.progress() ?? NOT_STARTED,
    async *[Symbol.asyncIterator](): AsyncGenerator<ProbeResult> {
      yield* await run;
    },
  };
}

/**
 * Probes every endpoint of `options.targets` once (`"127.0.0.1:22"`, `"host:8000-8100"`,
 * `"[::1]:53"`, `"unix:/run/x.sock"`, `"10.0.0.0/24:80"`, …) and reports each one's state:
 * `open`, `closed`, `filtered`, `open|filtered` (UDP) or `error`. Returns the run at once:
 * `for await` yields each result as it completes; `await run.summary` gives the counts and
 * whether the expectation (`expect`, `match`) is met. Bad input (a malformed target, an unknown
 * service) and a name that cannot be resolved reject the summary and end the iteration with
 * the error (an `InputError` or `OperationalError`).
 *
 * @example Probe two ports of a local server
 * ```ts
 * import { probe, startEchoServer } from "@netdiag/netdiag";
 * await using server = await startEchoServer();
 * const run = probe({ targets: [`127.0.0.1:${server.port}`, "127.0.0.1:1"], timeoutMs: 500 });
 * for await (const result of run) console.log(result.target, result.state); // open, closed
 * const summary = await run.summary;
 * console.log(summary.counts.open, summary.met); // 1 false (not every port is open)
 * ```
 */
export function probe(options: ProbeRunOptions, hooks: ProbeHooks = {}): ProbeRun {
  const { signal, ...engineOptions } = options;
  return deferredRun(async () => probeEngine(await netAdapter(), engineOptions, hooks, signal));
}

/**
 * Probes the endpoints of `options.targets` in rounds, every `intervalMs` (default 500), until
 * every one is in the expected state (`expect`, default `open`; with `match: "any"`, one is) or
 * `waitMs` have passed. The summary's `met` says whether the condition holds; iterating yields
 * each endpoint as it reaches the state, then the others' last results when the wait ends.
 *
 * @example Wait up to 2 s for a server to accept connections
 * ```ts
 * import { startEchoServer, waitUntilOpen } from "@netdiag/netdiag";
 * await using server = await startEchoServer();
 * const run = waitUntilOpen({ targets: [`127.0.0.1:${server.port}`], waitMs: 2000 });
 * console.log((await run.summary).met); // true
 * ```
 */
export function waitUntilOpen(options: WaitRunOptions): ProbeRun {
  const { signal, ...engineOptions } = options;
  return deferredRun(async () => waitEngine(await netAdapter(), engineOptions, signal));
}

/**
 * A probe worker thread (see threads.ts): says it is ready, receives one {@link ShardJob},
 * probes that shard of the plan through its own sliding window and posts the results back in
 * batches, then `done`. A `stop` message ends the shard early (probes in flight finish). For the
 * compiled binary this file is an extra entry point of `bun build --compile` (scripts/build).
 * @module
 */
import type { ProbeResult } from "../core/probe_result.ts";
import { runSlidingWindow } from "../core/sliding_window.ts";
import { netAdapter } from "../net/adapter.ts";
import {
  type AttemptOptions,
  type AttemptWindow,
  probeEndpoint,
  withoutAborted,
} from "./attempt.ts";
import { planProbes, shardProbes } from "./plan.ts";
import type { ShardJob, ThreadMessage, WorkerMessage } from "./threads.ts";

/** Results are posted once this many are waiting, or after {@link FLUSH_MS}. */
const BATCH = 1024;
const FLUSH_MS = 20;

/** The worker's side of the message channel. */
const scope = globalThis as unknown as {
  postMessage(message: ThreadMessage): void;
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
};

scope.onmessage = (event) => {
  if (event.data.type !== "job") return;
  const stop = new AbortController();
  scope.onmessage = (next) => {
    if (next.data.type === "stop") stop.abort();
  };
  probeShard(event.data.job, stop.signal).then(
    () => scope.postMessage({ type: "done" }),
    (error) => scope.postMessage({ type: "error", message: String(error?.message ?? error) }),
  );
};
scope.postMessage({ type: "ready" });

async function probeShard(job: ShardJob, signal: AbortSignal): Promise<void> {
  const adapter = await netAdapter();
  const services = new Map(job.services);
  const attempt: AttemptOptions = {
    ...job.attempt,
    payload: new Uint8Array(0),
    serviceOf: (port) => services.get(port) ?? null,
    signal,
  };
  let indexes: number[] = [];
  let results: ProbeResult[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (results.length === 0) return;
    scope.postMessage({ type: "results", indexes, results });
    indexes = [];
    results = [];
  };
  const window: AttemptWindow = { limit: job.window };
  await runSlidingWindow({
    tasks: shardProbes(planProbes(job.planned), job.shard, job.shards),
    control: window,
    run: (task) => withoutAborted(probeEndpoint(adapter, task, window, attempt)),
    onResult: (result, task) => {
      if (result === undefined) return;
      indexes.push(task.index);
      results.push(result);
      if (results.length >= BATCH) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    },
    signal,
  });
  flush();
}

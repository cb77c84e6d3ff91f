/**
 * A probe worker thread (see probe_threads.ts): says it is ready, receives one {@link ShardJob},
 * probes that shard of the plan through its own sliding window and posts the results back in
 * batches, then `done`. For the compiled binary this file is an extra entry point of
 * `bun build --compile`.
 * @module
 */
import { planProbes, shardProbes } from "../core/probe_plan.ts";
import type { ProbeResult } from "../core/probe_result.ts";
import { runSlidingWindow } from "../core/sliding_window.ts";
import { netAdapter } from "../net/mod.ts";
import { type AttemptOptions, probeEndpoint } from "./probe_attempt.ts";
import type { ShardJob, ThreadMessage } from "./probe_threads.ts";

/** Results are posted once this many are waiting, or after {@link FLUSH_MS}. */
const BATCH = 1024;
const FLUSH_MS = 20;

/** The worker's side of the message channel. */
const scope = globalThis as unknown as {
  postMessage(message: ThreadMessage): void;
  onmessage: ((event: MessageEvent<ShardJob>) => void) | null;
};

scope.onmessage = (event) => {
  scope.onmessage = null;
  probeShard(event.data).then(
    () => scope.postMessage({ type: "done" }),
    (error) => scope.postMessage({ type: "error", message: String(error?.message ?? error) }),
  );
};
scope.postMessage({ type: "ready" });

async function probeShard(job: ShardJob): Promise<void> {
  // As in the main thread: refused connects are answers, not worth a stack trace each.
  if (!job.debug) Error.stackTraceLimit = 0;
  const adapter = await netAdapter();
  const services = new Map(job.services);
  const attempt: AttemptOptions = {
    ...job.attempt,
    payload: new Uint8Array(0),
    serviceOf: (port) => services.get(port) ?? null,
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
  await runSlidingWindow({
    tasks: shardProbes(planProbes(job.planned), job.shard, job.shards),
    control: { limit: job.window },
    run: (task, control) => probeEndpoint(adapter, task, control, attempt),
    onResult: (result, task) => {
      indexes.push(task.index);
      results.push(result);
      if (results.length >= BATCH) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    },
  });
  flush();
}

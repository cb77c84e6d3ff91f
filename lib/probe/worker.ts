/**
 * A probe worker thread (see threads.ts): says it is ready, receives one {@link ShardJob},
 * probes the chunks of the plan it claims (see claims.ts) through its own sliding window and
 * posts the results back in batches, then `done`. A `stop` message ends its work early (probes
 * in flight finish). For the
 * compiled binary this file is an extra entry point of `bun build --compile` (scripts/build).
 * @module
 */
import type { ProbeResult } from "../core/probe_result.ts";
import { netAdapter } from "../net/adapter.ts";
import type { AttemptOptions } from "./attempt.ts";
import { packLatency, packResult } from "./packed_result.ts";
import { ClaimCounter } from "./claims.ts";
import { claimedProbes, type ProbeTask } from "./plan.ts";
import { probeTasks } from "./shard_probe.ts";
import type { ShardJob, ThreadMessage, WorkerMessage } from "./threads.ts";

/** Results are posted once this many are waiting, or after {@link FLUSH_MS}. */
const BATCH = 1024;
const FLUSH_MS = 20;

/** The worker's side of the message channel. */
const scope = globalThis as unknown as {
  postMessage(message: ThreadMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
};

// A refused connect is an answer, yet the runtime builds an error for each (Deno with a stack):
// this thread is the engine's own and shows no stack, so it captures none.
Error.stackTraceLimit = 0;

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

/** Results waiting to be posted: packed rows in typed arrays, and the results that do not pack. */
class ResultBatch {
  #count = 0;
  #indexes = new Float64Array(BATCH);
  #words = new Uint32Array(BATCH);
  #latencies = new Float64Array(BATCH);
  #others: { index: number; result: ProbeResult }[] = [];

  get full(): boolean {
    return this.#count + this.#others.length >= BATCH;
  }

  add(result: ProbeResult, task: ProbeTask, service: string | null): void {
    const word = packResult(result, task, service);
    if (word === undefined) this.#others.push({ index: task.index, result });
    else this.addPacked(task.index, word, packLatency(result.latencyMs));
  }

  addPacked(index: number, word: number, latency: number): void {
    this.#indexes[this.#count] = index;
    this.#words[this.#count] = word;
    this.#latencies[this.#count] = latency;
    this.#count++;
  }

  /** Posts the waiting results (the arrays are transferred) and starts a new batch. */
  post(): void {
    if (this.#count === 0 && this.#others.length === 0) return;
    const message: ThreadMessage = {
      type: "results",
      count: this.#count,
      indexes: this.#indexes,
      words: this.#words,
      latencies: this.#latencies,
      others: this.#others,
    };
    scope.postMessage(message, [
      this.#indexes.buffer,
      this.#words.buffer,
      this.#latencies.buffer,
    ]);
    this.#count = 0;
    this.#indexes = new Float64Array(BATCH);
    this.#words = new Uint32Array(BATCH);
    this.#latencies = new Float64Array(BATCH);
    this.#others = [];
  }
}

async function probeShard(job: ShardJob, signal: AbortSignal): Promise<void> {
  const adapter = await netAdapter();
  const services = new Map(job.services);
  const claims = new ClaimCounter(job.claims);
  const attempt: AttemptOptions = {
    ...job.attempt,
    payload: new Uint8Array(0),
    serviceOf: (port) => services.get(port) ?? null,
    signal,
  };
  const batch = new ResultBatch();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    batch.post();
  };
  const added = () => {
    if (batch.full) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };
  await probeTasks({
    adapter,
    planned: job.planned,
    tasks: claimedProbes(job.planned, claims),
    window: { limit: job.window },
    attempt,
    onResult: (result, task) => {
      batch.add(result, task, services.get(task.port!) ?? null);
      added();
    },
    onPacked: (task, word, latency) => {
      batch.addPacked(task.index, word, latency);
      added();
    },
  });
  flush();
}

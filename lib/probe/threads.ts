/**
 * Large TCP scans split over threads: the calling thread and each worker (`worker.ts`) claim
 * chunks of the plan from one shared counter (see claims.ts) until none is left, each with a
 * window of its own; workers post their results packed (see packed_result.ts). A loopback scan is bound by the connect system calls, which
 * run in parallel on several cores. A worker that cannot start (a binary built without the
 * worker entry point, a runtime without workers) claims nothing, so the others take its share.
 * @module
 */
import type { ProbeResult } from "../core/probe_result.ts";
import type { PlannedTarget } from "./plan.ts";

/** The work of one probe thread, sent to it as a message (structured-clone data only). */
export interface ShardJob {
  readonly planned: readonly PlannedTarget[];
  /** This thread's number, from 1 (0 is the calling thread). */
  readonly shard: number;
  /** The scan's {@link ClaimCounter} memory, shared by every thread of it. */
  readonly claims: SharedArrayBuffer;
  /** The thread's window (probes in flight). */
  readonly window: number;
  readonly attempt: {
    readonly protocol: "tcp";
    readonly timeoutMs: number;
    readonly retries: number;
    readonly lingerLimit: number;
  };
  /** Port → service name for the protocol. */
  readonly services: readonly (readonly [number, string])[];
}

/** What the calling thread sends a probe thread. */
export type WorkerMessage =
  | { readonly type: "job"; readonly job: ShardJob }
  /** Start no more probes; finish those in flight, post their results, then `done`. */
  | { readonly type: "stop" };

/** What a probe thread posts back. */
export type ThreadMessage =
  | { readonly type: "ready" }
  | {
    readonly type: "results";
    /**
     * Rows of packed results (see packed_result.ts): their plan indexes, words and latencies,
     * `count` rows of each array (the arrays' buffers are transferred, not copied).
     */
    readonly count: number;
    readonly indexes: Float64Array;
    readonly words: Uint32Array;
    readonly latencies: Float64Array;
    /** The results that do not pack, with their plan indexes. */
    readonly others: readonly { readonly index: number; readonly result: ProbeResult }[];
  }
  | { readonly type: "done" }
  | { readonly type: "error"; readonly message: string };

/**
 * The worker's module URL. From source this module is lib/probe/threads.ts; in the compiled
 * binary its code sits in a chunk, either inside the embedded entry point lib/cli/run.ts or, as
 * scripts/build splits the bundle, in a shared chunk at the bundle's root. The worker is the
 * embedded entry point lib/probe/worker.ts in every layout, so it is found from `lib/` when this
 * code runs below it, and from the root otherwise.
 */
export function workerUrl(moduleUrl: string = import.meta.url): string {
  const path = new URL(moduleUrl).pathname;
  return new URL(path.includes("/lib/") ? "../probe/worker.ts" : "./lib/probe/worker.ts", moduleUrl)
    .href;
}

/** A worker that has not said it is ready within this time is given up (its shard runs here). */
const START_TIMEOUT_MS = 5000;

/** Threads to use by default: one per CPU core, at most this many. */
export const MAX_DEFAULT_THREADS = 4;

/** The number of CPU cores, 1 when the runtime does not say. */
export function cpuCount(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return typeof n === "number" && n >= 1 ? Math.floor(n) : 1;
}

/** Probe workers running in the background. */
export interface ProbeThreads {
  /**
   * Settles once every worker has finished: with the numbers of those that could not start
   * (their share was claimed by the others), or rejects when a worker failed after it started.
   */
  readonly finished: Promise<number[]>;
  /** Asks every worker to stop starting probes (an abort); `finished` settles once they have. */
  stop(): void;
  /** Stops every worker at once (after a failure in the calling thread). */
  terminate(): void;
}

/** Receives a probe thread's results. */
export interface ThreadRecorder {
  /** A result that does not pack, with its plan index. */
  result(result: ProbeResult, index: number): void;
  /** A packed result (see packed_result.ts). */
  packed(index: number, word: number, latency: number): void;
}

/** Starts one worker per job; `record` receives every result with its plan index. */
export function startProbeThreads(
  jobs: readonly ShardJob[],
  record: ThreadRecorder,
): ProbeThreads {
  const workers: Worker[] = [];
  let stopped = false;
  const runs = jobs.map((job) =>
    runWorker(job, record, (w) => workers.push(w), () => stopped).then((started) =>
      started ? [] : [job.shard]
    )
  );
  const finished = Promise.all(runs).then((lists) => lists.flat());
  // Awaited only when the calling thread's own shard succeeds; otherwise its failure is moot.
  finished.catch(() => {});
  return {
    finished,
    stop() {
      stopped = true;
      for (const w of workers) w.postMessage({ type: "stop" } satisfies WorkerMessage);
    },
    terminate() {
      for (const w of workers) w.terminate();
    },
  };
}

/** Runs one job in a worker; resolves true when it finished, false when it never started. */
function runWorker(
  job: ShardJob,
  record: ThreadRecorder,
  track: (worker: Worker) => void,
  stopped: () => boolean,
): Promise<boolean> {
  let worker: Worker;
  try {
    worker = new Worker(workerUrl(), { type: "module" });
  } catch {
    return Promise.resolve(false);
  }
  track(worker);
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      worker.terminate();
      resolve(false);
    }, START_TIMEOUT_MS);
    const fail = (message: string) => {
      clearTimeout(timer);
      worker.terminate();
      if (ready) reject(new Error(`probe thread ${job.shard} failed: ${message}`));
      else resolve(false);
    };
    worker.onmessage = (event: MessageEvent<ThreadMessage>) => {
      const m = event.data;
      switch (m.type) {
        case "ready":
          ready = true;
          clearTimeout(timer);
          worker.postMessage({ type: "job", job } satisfies WorkerMessage);
          if (stopped()) worker.postMessage({ type: "stop" } satisfies WorkerMessage);
          break;
        case "results":
          for (let i = 0; i < m.count; i++) record.packed(m.indexes[i], m.words[i], m.latencies[i]);
          for (const { index, result } of m.others) record.result(result, index);
          break;
        case "done":
          worker.terminate();
          resolve(true);
          break;
        case "error":
          fail(m.message);
          break;
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      fail(event.message);
    };
  });
}

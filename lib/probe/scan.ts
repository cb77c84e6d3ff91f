/**
 * One round of a scan: every endpoint of the plan (but those to skip) probed once through a
 * sliding window, in this thread or split over worker threads.
 * @module
 */
import type { ProbeResult } from "../core/probe_result.ts";
import type { NetAdapter } from "../net/types.ts";
import type { AttemptOptions, AttemptWindow } from "./attempt.ts";
import {
  claimedProbes,
  type PlannedTarget,
  planProbes,
  type ProbeTask,
  skipIndexes,
} from "./plan.ts";
import { probeTasks } from "./shard_probe.ts";
import type { ScanSize } from "./sizing.ts";
import { type ShardJob, startProbeThreads } from "./threads.ts";
import { ClaimCounter } from "./claims.ts";

/** What a scan round needs. */
export interface ScanContext {
  readonly adapter: NetAdapter;
  readonly planned: readonly PlannedTarget[];
  readonly size: ScanSize;
  /** How each endpoint is probed (its `signal` stops the round). */
  readonly attempt: AttemptOptions;
  /** This thread's window, kept across rounds (EMFILE lowers it). */
  readonly window: AttemptWindow;
  /** Port → service name, for worker threads. */
  readonly byPort: ReadonlyMap<number, string>;
  /** Milliseconds to wait before the next start (a rate limit); default none. */
  readonly pace?: () => number;
}

/** Receives each result with its plan index. */
export interface Recorder {
  /** A result, with its task when it was probed in this thread (so it can be kept packed). */
  result(result: ProbeResult, index: number, task?: ProbeTask): void;
  /** A result packed (see packed_result.ts): a worker thread's, or one of a connect batch. */
  packed(index: number, word: number, latency: number): void;
}

/**
 * Probes the plan's endpoints once, but those whose index is in `skip`; `record` receives each
 * result as it completes. Resolves with the number of threads that ran.
 */
export async function scanRound(
  context: ScanContext,
  record: Recorder,
  skip?: ReadonlySet<number>,
): Promise<number> {
  const { shards } = context.size;
  if (shards <= 1) {
    const tasks = planProbes(context.planned);
    await probeAll(context, skip ? skipIndexes(tasks, skip) : tasks, record);
    return 1;
  }
  return await scanInThreads(context, record);
}

/** Probes `tasks` in this thread (see shard_probe.ts). */
function probeAll(
  context: ScanContext,
  tasks: Iterable<ProbeTask>,
  record: Recorder,
): Promise<number> {
  const { adapter, attempt, window, pace, planned } = context;
  return probeTasks({
    adapter,
    planned,
    tasks,
    window,
    attempt,
    ...(pace ? { pace } : {}),
    onResult: (result, task) => record.result(result, task.index, task),
    onPacked: (task, word, latency) => record.packed(task.index, word, latency),
  });
}

/**
 * One round over threads: this thread and the workers claim chunks of the plan from one counter
 * until none is left (a worker that fails to start claims nothing).
 */
async function scanInThreads(context: ScanContext, record: Recorder): Promise<number> {
  const { planned, size, attempt } = context;
  const counter = new ClaimCounter();
  const jobs: ShardJob[] = [];
  for (let shard = 1; shard < size.shards; shard++) {
    jobs.push({
      planned,
      shard,
      claims: counter.buffer,
      window: size.shardWindow,
      attempt: {
        protocol: "tcp",
        timeoutMs: attempt.timeoutMs,
        retries: attempt.retries,
        lingerLimit: size.shardLinger,
      },
      services: [...context.byPort],
    });
  }
  const workers = startProbeThreads(jobs, record);
  const stop = () => workers.stop();
  attempt.signal?.addEventListener("abort", stop, { once: true });
  try {
    await probeAll(context, claimedProbes(planned, counter), record);
    const unstarted = await workers.finished;
    return size.shards - unstarted.length;
  } finally {
    attempt.signal?.removeEventListener("abort", stop);
    workers.terminate();
  }
}

/**
 * Probing a run of tasks in one thread: through lib/net's connect batcher where it exists and
 * the plan suits it (a TCP scan of address literals, no rate limit, no wait deadline), else
 * through a sliding window of {@link probeEndpoint} calls. Both give the same results.
 * @module
 */
import type { ProbeResult } from "../core/probe_result.ts";
import { runSlidingWindow } from "../core/sliding_window.ts";
import { netAdapter } from "../net/adapter.ts";
import { type ConnectBatcher, connectBatcher } from "../net/connect_batch.ts";
import type { NetAdapter, ProbeConnectOutcome } from "../net/types.ts";
import {
  type AttemptOptions,
  type AttemptWindow,
  ipResult,
  mayRetry,
  probeEndpoint,
  tcpOutcome,
  timeoutFor,
  withoutAborted,
} from "./attempt.ts";
import { packLatency, packOutcome } from "./packed_result.ts";
import { countPlan, type PlannedTarget, type ProbeTask } from "./plan.ts";

/** Plans smaller than this are probed through the window (the batcher's set-up is not worth it). */
export const MIN_BATCH_PROBES = 512;

/** What {@link probeTasks} probes, and how. */
export interface ShardProbe {
  readonly adapter: NetAdapter;
  /** The whole plan, names resolved (it decides whether the batcher suits it). */
  readonly planned: readonly PlannedTarget[];
  /** The tasks to probe, pulled lazily. */
  readonly tasks: Iterable<ProbeTask>;
  readonly window: AttemptWindow;
  readonly attempt: AttemptOptions;
  /** Milliseconds to wait before the next start (a rate limit); default none. */
  readonly pace?: () => number;
  /** Receives each result with its task. */
  readonly onResult: (result: ProbeResult, task: ProbeTask) => void;
  /**
   * Receives a result packed instead (see packed_result.ts), where the scan can pack it without
   * building it (the batcher's results mostly); without it, every result is built.
   */
  readonly onPacked?: (task: ProbeTask, word: number, latency: number) => void;
}

/** Probes every task once (retries included); resolves with how many were started. */
export async function probeTasks(shard: ShardProbe): Promise<number> {
  const batcher = await batcherFor(shard);
  if (batcher) return await probeBatch(batcher, shard);
  const { adapter, window, attempt, pace } = shard;
  return await runSlidingWindow({
    tasks: shard.tasks,
    control: window,
    run: (task) => withoutAborted(probeEndpoint(adapter, task, window, attempt)),
    onResult: (result, task) => {
      if (result !== undefined) shard.onResult(result, task);
    },
    ...(pace ? { pace } : {}),
    ...(attempt.signal ? { signal: attempt.signal } : {}),
  });
}

/**
 * The batcher, when this thread has one, the scan uses the runtime's own adapter (not one a
 * caller chose) and every task of the plan suits it.
 */
async function batcherFor(shard: ShardProbe): Promise<ConnectBatcher | undefined> {
  const { attempt, planned } = shard;
  if (attempt.protocol !== "tcp" || shard.pace || attempt.remainingMs) return undefined;
  if (countPlan(planned) < MIN_BATCH_PROBES || shard.adapter !== await netAdapter()) {
    return undefined;
  }
  const batcher = await connectBatcher();
  if (batcher === undefined) return undefined;
  const suits = planned.every((p) =>
    p.target.kind === "block" ||
    (p.target.kind === "host" && p.addresses?.length === 1 && batcher.accepts(p.addresses[0]))
  );
  return suits ? batcher : undefined;
}

/** Probes the tasks through the batcher, retrying timeouts as {@link probeEndpoint} does. */
async function probeBatch(batcher: ConnectBatcher, shard: ShardProbe): Promise<number> {
  const { attempt } = shard;
  const iterator = shard.tasks[Symbol.iterator]();
  /** Tasks whose attempt timed out and may try again, with the attempts they made. */
  const again: { task: ProbeTask; attempts: number }[] = [];
  const attempts = new Map<ProbeTask, number>();
  let started = 0;
  const next = () => {
    const retry = again.shift();
    if (retry) {
      attempts.set(retry.task, retry.attempts + 1);
      return { task: retry.task, address: retry.task.addresses[0], port: retry.task.port! };
    }
    const item = iterator.next();
    if (item.done) return undefined;
    started++;
    const task = item.value;
    return { task, address: task.addresses[0], port: task.port! };
  };
  const onOutcome = (task: ProbeTask, connected: ProbeConnectOutcome) => {
    const address = task.addresses[0];
    const outcome = tcpOutcome(connected, address, task.port!);
    // Most scans retry nothing: no map lookups per port then.
    const made = attempts.size === 0 ? 1 : attempts.get(task) ?? 1;
    if (outcome.state === "filtered" && made <= attempt.retries && mayRetry(attempt)) {
      again.push({ task, attempts: made });
      return;
    }
    if (made > 1) attempts.delete(task);
    const word = shard.onPacked && packOutcome(outcome.state, outcome.code, made);
    if (word !== undefined) {
      shard.onPacked!(task, word, packLatency(outcome.latencyMs));
      return;
    }
    const service = attempt.serviceOf(task.port!);
    shard.onResult(ipResult(task, "tcp", address, service, outcome, made), task);
  };
  // Retries join once the first pass ends: the batcher pulls `next` while slots free up.
  for (;;) {
    await batcher.run({
      next,
      onOutcome,
      window: shard.window.limit,
      timeoutMs: timeoutFor(attempt),
      ...(attempt.signal ? { signal: attempt.signal } : {}),
    });
    if (again.length === 0) return started;
    if (attempt.signal?.aborted) {
      // Aborted between attempts: the last timeout stands.
      for (const { task, attempts: made } of again.splice(0)) {
        const outcome = tcpOutcome({ ok: false, code: "ETIMEDOUT", latencyMs: 0 }, "", 0);
        const service = attempt.serviceOf(task.port!);
        shard.onResult(ipResult(task, "tcp", task.addresses[0], service, outcome, made), task);
      }
      return started;
    }
  }
}

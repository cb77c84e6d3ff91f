/**
 * How wide a scan runs: how many threads, how many probes in flight per thread, and how many
 * timed-out sockets may linger, from the plan's size, the adapter and the open-file limit.
 * @module
 */
import { clampToFdLimit } from "../core/fd_limit.ts";
import type { NetAdapter } from "../net/types.ts";
import { openFileLimit } from "../runtime/fd_limit.ts";
import { cpuCount, MAX_DEFAULT_THREADS } from "./threads.ts";

/**
 * The default window per thread and adapter, chosen by measurement (full loopback scans, see
 * scripts/bench_scan): on loopback every window from 64 up performs the same within noise, so
 * the defaults favour remote networks, where round trips make a wide window pay: 256 for Bun and
 * Deno's ceiling of 128 (see {@link MAX_CONCURRENCY}). A scan over several threads has the sum.
 */
export const DEFAULT_CONCURRENCY: Readonly<Record<NetAdapter["name"], number>> = {
  deno: 128,
  bun: 256,
  node: 256,
};

/**
 * The widest window per thread and adapter. Deno 2.x (measured with 2.9.6) leaves connects beyond
 * about 128 in flight on one event loop unanswered until the rest are done, which turns refused
 * ports into false `filtered` results at the timeout; each Deno thread's window is therefore
 * capped at 128.
 */
export const MAX_CONCURRENCY: Readonly<Record<NetAdapter["name"], number>> = {
  deno: 128,
  bun: 65_536,
  node: 65_536,
};

/**
 * By default a scan is split over threads only if each gets at least this many probes (a
 * thread's start costs ~0.1 s under Deno, the time of a few thousand loopback probes).
 */
export const MIN_PROBES_PER_THREAD = 4096;

/** Descriptors a probe thread uses besides its sockets (measured: Deno 6, Bun 2). */
const THREAD_DESCRIPTORS = 8;

/** Descriptors assumed free for a plan too small to ask for the open-file limit (≤ 16 probes). */
const SMALL_PLAN_ROOM = 256;

/** What decides a scan's size. */
export interface SizingInput {
  readonly adapter: NetAdapter;
  /** Endpoints in the plan. */
  readonly total: number;
  /** Whether the scan may use threads (TCP, one-shot, no rate limit). */
  readonly threadable: boolean;
  /** Threads asked for; default by plan size and CPU cores. */
  readonly threads?: number;
  /** Window asked for over all threads; default per adapter. */
  readonly concurrency?: number;
  /** The open-file limit; default asked of the runtime when the window is over 16. */
  readonly openFileLimit?: number;
}

/** A scan's size. */
export interface ScanSize {
  /** Threads (shards of the plan): 1 runs in this thread only. */
  readonly shards: number;
  /** Probes in flight per thread. */
  readonly shardWindow: number;
  /** Timed-out sockets each thread may leave lingering (adapters that cannot cancel). */
  readonly shardLinger: number;
}

/**
 * Sizes a scan: threads by the plan's size (or as asked), the window per thread within the
 * adapter's ceiling and the open-file limit, and the lingering sockets' budget.
 */
export async function sizeScan(input: SizingInput): Promise<ScanSize> {
  const { adapter, total } = input;
  const threads = input.threadable
    ? Math.max(
      1,
      input.threads
        ? Math.min(input.threads, total)
        : Math.min(cpuCount(), MAX_DEFAULT_THREADS, Math.floor(total / MIN_PROBES_PER_THREAD)),
    )
    : 1;
  const wanted = Math.min(
    input.concurrency ?? DEFAULT_CONCURRENCY[adapter.name] * threads,
    MAX_CONCURRENCY[adapter.name] * threads,
    Math.max(1, total),
  );
  // Descriptors free for probe sockets (each extra thread needs a few of its own); small plans
  // never come near the open-file limit, so they skip asking for it. Keep to it: Bun (1.4)
  // reports a connect that failed for want of a descriptor as ECONNREFUSED, a false "closed".
  const limit = input.openFileLimit ?? (wanted <= 16 ? undefined : await openFileLimit());
  const room = limit === undefined
    ? SMALL_PLAN_ROOM
    : clampToFdLimit(Number.MAX_SAFE_INTEGER, limit - THREAD_DESCRIPTORS * (threads - 1));
  // Where a timed-out probe's socket may outlive its answer (Bun), half the room at most goes to
  // the window and the rest is the budget for such sockets (ProbeConnectOptions.lingerLimit).
  const window = Math.min(
    wanted,
    adapter.probeSocketsLinger ? Math.max(1, Math.floor(room / 2)) : room,
  );
  const lingerLimit = adapter.probeSocketsLinger ? room - window : 0;
  const shards = Math.min(threads, window);
  return {
    shards,
    shardWindow: Math.floor(window / shards),
    shardLinger: Math.floor(lingerLimit / shards),
  };
}

/**
 * A sliding-window scheduler: at most `limit` tasks in flight, and a finished task is replaced
 * by the next one at once (no batches waiting for their slowest member). Tasks come from an
 * iterator that is pulled only when a slot frees, so a lazy plan of a million probes costs
 * memory for `limit` of them.
 * @module
 */

/** The window's size, which a task may lower while it runs (after EMFILE, for example). */
export interface WindowControl {
  /** How many tasks may run at once; at least 1. */
  limit: number;
}

/** Options of {@link runSlidingWindow}. */
export interface SlidingWindowOptions<T, R> {
  /** The tasks, pulled lazily. */
  readonly tasks: Iterable<T>;
  /** Runs one task. A rejection stops the window and is rethrown after running tasks settle. */
  readonly run: (task: T, control: WindowControl) => Promise<R>;
  /** Receives each result as its task completes. */
  readonly onResult: (result: R, task: T) => void;
  /** The window size and its control; `limit` is read before each start. */
  readonly control: WindowControl;
  /** Milliseconds to wait before the next start (rate limiting); default none. */
  readonly pace?: () => number;
  /** Waits `ms` milliseconds; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops starting new tasks once aborted (running ones finish). */
  readonly signal?: AbortSignal;
}

/** Waits `ms` milliseconds on a timer. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs every task with at most `control.limit` in flight and resolves with how many ran. The
 * window is `limit` lanes that each take the next task when theirs finishes; lowering
 * `control.limit` retires the highest lanes as their tasks end (lane 0 always stays).
 */
export async function runSlidingWindow<T, R>(options: SlidingWindowOptions<T, R>): Promise<number> {
  const { run, onResult, control, pace, signal } = options;
  const wait = options.sleep ?? sleep;
  const iterator = options.tasks[Symbol.iterator]();
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  let started = 0;
  const take = (): { task: T } | undefined => {
    if (exhausted || failure || signal?.aborted) return undefined;
    const next = iterator.next();
    if (next.done) {
      exhausted = true;
      return undefined;
    }
    return { task: next.value };
  };
  const lane = async (id: number) => {
    while (id === 0 || id < control.limit) {
      const next = take();
      if (!next) return;
      if (pace) {
        const ms = pace();
        if (ms > 0) await wait(ms);
      }
      started++;
      try {
        onResult(await run(next.task, control), next.task);
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  const lanes: Promise<void>[] = [];
  const initial = Math.max(1, Math.floor(control.limit));
  for (let id = 0; id < initial; id++) lanes.push(lane(id));
  await Promise.all(lanes);
  if (failure) throw failure.error;
  return started;
}

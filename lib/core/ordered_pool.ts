/**
 * Runs an async function over many inputs with bounded concurrency and hands the results back
 * in input order, each as soon as it and everything before it are done. Results that finish
 * ahead of a slow one wait for it, at most {@link AHEAD_FACTOR} × concurrency of them: past
 * that, no new input starts until the slow one is done, so memory stays bounded whatever the
 * inputs' order of completion (one unanswered name no longer holds every later result).
 * @module
 */

/** How many windows of inputs may be started beyond the oldest one not yet handed back. */
export const AHEAD_FACTOR = 16;

/** Options of {@link mapOrdered}. */
export interface MapOrderedOptions<T, R> {
  /** At most this many calls in flight; at least 1. */
  readonly concurrency: number;
  /** The work for one input (with its 0-based index). */
  readonly work: (input: T, index: number) => Promise<R>;
  /** Receives each result in input order. */
  readonly onResult: (result: R, index: number) => void;
}

/**
 * Feeds `inputs` (an array or an async stream such as lines of stdin) through `work`, at most
 * `concurrency` at a time and at most {@link AHEAD_FACTOR} × `concurrency` past the oldest
 * result not yet delivered, and calls `onResult` in input order. Resolves with the number of
 * inputs once every result has been delivered; rejects if `work` rejects (after the calls in
 * flight settle).
 */
export async function mapOrdered<T, R>(
  inputs: Iterable<T> | AsyncIterable<T>,
  options: MapOrderedOptions<T, R>,
): Promise<number> {
  const limit = Math.max(1, Math.floor(options.concurrency));
  const ahead = limit * AHEAD_FACTOR;
  const done = new Map<number, R>();
  let active = 0;
  let next = 0;
  let delivered = 0;
  let failure: { error: unknown } | undefined;
  // Resolved when a call finishes, so that the feeder can start the next one.
  let wake: (() => void) | undefined;
  const settle = () => {
    active--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const flush = () => {
    while (done.has(delivered)) {
      const result = done.get(delivered)!;
      done.delete(delivered);
      options.onResult(result, delivered++);
    }
  };
  const start = (input: T, index: number) => {
    active++;
    options.work(input, index).then(
      (result) => {
        done.set(index, result);
        try {
          flush();
        } catch (error) {
          failure ??= { error };
        }
        settle();
      },
      (error) => {
        failure ??= { error };
        settle();
      },
    );
  };
  const slot = () => new Promise<void>((resolve) => (wake = resolve));
  const full = () => (active >= limit || next - delivered >= ahead) && !failure;
  if (Symbol.iterator in inputs) {
    // Inputs at hand are taken without an await each; the loop waits only for a slot.
    for (const input of inputs) {
      if (failure) break;
      start(input, next++);
      // A finished call wakes this loop, whether it freed a slot or delivered the oldest result.
      while (full()) await slot();
    }
  } else {
    for await (const input of inputs) {
      if (failure) break;
      start(input, next++);
      while (full()) await slot();
    }
  }
  while (active > 0) await slot();
  if (failure) throw failure.error;
  return next;
}

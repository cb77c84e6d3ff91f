/**
 * The exporter's bound on concurrent probes (`--max-concurrent`): a counting semaphore whose
 * waiters give up after a bounded time (the server then answers 503), with a bounded queue.
 * @module
 */

/** A bound on concurrent probes. */
export interface ProbeGate {
  /** Probes holding a slot now. */
  readonly running: number;
  /** Requests waiting for a slot now. */
  readonly waiting: number;
  /**
   * Takes a slot, waiting at most `waitMs` (and not past `signal`); resolves true with a slot
   * (give it back with {@link release}), false without one.
   */
  acquire(waitMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Gives a slot back, handing it to the longest waiter. */
  release(): void;
}

/** Options of {@link probeGate}. */
export interface ProbeGateOptions {
  /** Most slots held at once (≥ 1). */
  readonly max: number;
  /** Most requests waiting at once; more are refused at once. Default 4 × `max`. */
  readonly maxWaiting?: number;
}

/** Creates a {@link ProbeGate}. */
export function probeGate(options: ProbeGateOptions): ProbeGate {
  const maxWaiting = options.maxWaiting ?? 4 * options.max;
  const queue: Array<(granted: boolean) => void> = [];
  let running = 0;
  return {
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    acquire(waitMs, signal) {
      if (running < options.max && queue.length === 0) {
        running++;
        return Promise.resolve(true);
      }
      if (queue.length >= maxWaiting || waitMs <= 0 || signal?.aborted) {
        return Promise.resolve(false);
      }
      return new Promise<boolean>((resolve) => {
        const settle = (granted: boolean) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(granted);
        };
        const giveUp = () => {
          const i = queue.indexOf(settle);
          if (i >= 0) queue.splice(i, 1);
          settle(false);
        };
        const onAbort = () => giveUp();
        const timer = setTimeout(giveUp, waitMs);
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(settle);
      });
    },
    release() {
      const next = queue.shift();
      if (next) next(true); // the slot passes on; `running` stays
      else running = Math.max(0, running - 1);
    },
  };
}

/**
 * The plan indexes a multi-threaded scan has handed out, in one counter every thread shares
 * (a SharedArrayBuffer, posted to the workers). Each thread claims the next chunk when it needs
 * work, so threads split a plan by how fast they go, not in fixed shares: a worker that starts
 * late, or a core busy with something else, leaves more to the others instead of finishing last
 * (in fixed halves of a full-range loopback scan, one thread finished up to 0.6 s after the other).
 * @module
 */

/** Plan indexes claimed at a time: small enough that threads finish together. */
export const CLAIM_CHUNK = 128;

/** A counter of claimed plan indexes, shared by the threads of one scan. */
export class ClaimCounter {
  /** The counter's memory: post it to a worker and wrap it there with `new ClaimCounter(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  readonly #cell: BigInt64Array;

  /** Wraps `buffer` (a counter made in another thread), or makes a new counter at 0. */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.buffer = buffer;
    this.#cell = new BigInt64Array(buffer);
  }

  /**
   * Claims the next `chunk` indexes; returns the first of them (past the plan's end once every
   * index is taken).
   *
   * @example
   * ```ts
   * import { ClaimCounter } from "./claims.ts";
   * const counter = new ClaimCounter();
   * counter.claim(128); // 0
   * counter.claim(128); // 128
   * ```
   */
  claim(chunk: number): number {
    return Number(Atomics.add(this.#cell, 0, BigInt(chunk)));
  }
}

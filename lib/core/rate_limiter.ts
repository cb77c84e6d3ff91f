/**
 * A start-time rate limiter for `probe --rate N`: each start reserves the next slot on an even
 * schedule of N per second, so waits are spread and the long-run rate never exceeds N, however
 * many lanes ask at once.
 * @module
 */

/** A rate limiter: `reserve()` returns how many milliseconds to wait before starting. */
export interface RateLimiter {
  /** Reserves the next start slot and returns the wait in milliseconds (0: start now). */
  reserve(): number;
}

/**
 * Creates a limiter of `perSecond` starts per second. `now` is the clock in milliseconds
 * (default `performance.now`). The first start is immediate; no burst builds up while idle.
 */
export function createRateLimiter(
  perSecond: number,
  now: () => number = () => performance.now(),
): RateLimiter {
  const interval = 1000 / perSecond;
  let next = -Infinity;
  return {
    reserve() {
      const t = now();
      const slot = Math.max(t, next);
      next = slot + interval;
      return slot - t;
    },
  };
}

/**
 * When `send` hashes its files. A file's header carries its SHA-256, so a file must be hashed
 * before its first byte goes out, and a receiver drops a sender whose next header is late
 * (`receive --header-timeout`). `send` therefore hashes some files before it connects and the
 * rest in the background while it streams, always in order.
 * @module
 */

/**
 * How many files (from the first) `send` hashes before connecting: the fewest whose bytes add
 * up to at least the largest file after them, and at least one. Then the background hashing
 * stays ahead of the stream as long as streaming is no faster than hashing (which holds: the
 * receiver hashes every byte too), so each header is ready when the previous file's last byte
 * is sent. With one file, or files that get no larger, only the first is hashed up front.
 *
 * @example
 * ```ts
 * import { filesToHashFirst } from "./hash_plan.ts";
 * filesToHashFirst([10, 10, 5]); // 1
 * filesToHashFirst([1, 1000, 10]); // 2: the big second file would hold up the stream
 * ```
 */
export function filesToHashFirst(sizes: readonly number[]): number {
  const n = sizes.length;
  if (n === 0) return 0;
  const largestFrom = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) largestFrom[i] = Math.max(sizes[i], largestFrom[i + 1]);
  let hashed = 0;
  for (let m = 1; m < n; m++) {
    hashed += sizes[m - 1];
    if (hashed >= largestFrom[m]) return m;
  }
  return n;
}

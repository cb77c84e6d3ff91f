/**
 * The open-file limit and what it allows a prober: every probe in flight holds one socket, and
 * the runtime itself needs some descriptors (stdio, its event loop, a few files).
 * @module
 */

/** Descriptors kept free for the runtime and everything besides probe sockets. */
export const RESERVED_DESCRIPTORS = 64;

/**
 * Reads the soft "Max open files" limit from the text of /proc/self/limits: a number, Infinity
 * for "unlimited", undefined when the line is missing or unreadable.
 */
export function parseOpenFileLimit(limitsText: string): number | undefined {
  const m = /^Max open files\s+(\S+)/m.exec(limitsText);
  if (m?.[1] === "unlimited") return Number.POSITIVE_INFINITY;
  if (!m || !/^[0-9]+$/.test(m[1])) return undefined;
  return Number(m[1]);
}

/**
 * Clamps a wanted window to what `fdLimit` allows: the limit minus
 * {@link RESERVED_DESCRIPTORS}, at least 1 (and, for tiny limits, at most half of the limit).
 */
export function clampToFdLimit(wanted: number, fdLimit: number): number {
  const room = Math.max(Math.floor(fdLimit / 2), fdLimit - RESERVED_DESCRIPTORS);
  return Math.max(1, Math.min(wanted, room));
}

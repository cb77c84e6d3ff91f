/**
 * Recognizes `netdiag echo serve`'s refusal of a connection in a plain (unframed) echo: over
 * --max-conns, the server writes one line, `netdiag echo serve: too many connections (limit N),
 * try again later`, and closes. A client comparing echoes would otherwise report it as a
 * mismatch at byte 0.
 * @module
 */

const PREFIX = "netdiag echo serve: ";
/** The longest refusal line taken from the server (the rest is not read as text). */
const MAX_LINE_BYTES = 200;

/**
 * The server's words when `bytes`, the first bytes a connection got back, are a refusal line
 * from `netdiag echo serve`; undefined for anything else (an echo, or any other text).
 *
 * @example
 * ```ts
 * import { serverRefusal } from "./server_refusal.ts";
 * const line = new TextEncoder().encode("netdiag echo serve: too many connections (limit 2), try again later\n");
 * serverRefusal(line); // "too many connections (limit 2), try again later"
 * serverRefusal(new Uint8Array([1, 2, 3])); // undefined
 * ```
 */
export function serverRefusal(bytes: Uint8Array): string | undefined {
  if (!startsRefusal(bytes)) return undefined;
  const line = bytes.subarray(PREFIX.length, Math.min(bytes.length, MAX_LINE_BYTES));
  const end = line.indexOf(0x0a);
  return new TextDecoder().decode(end < 0 ? line : line.subarray(0, end));
}

/**
 * Like {@link serverRefusal}, reading the rest of the line with `read` (which resolves with
 * null at the end) when `first` holds only its start: a client that reads a message's size at a
 * time may have taken less than the whole line.
 */
export async function readServerRefusal(
  first: Uint8Array,
  read: (into: Uint8Array) => Promise<number | null>,
): Promise<string | undefined> {
  if (!startsRefusal(first)) return undefined;
  const line = new Uint8Array(MAX_LINE_BYTES);
  let have = Math.min(first.length, MAX_LINE_BYTES);
  line.set(first.subarray(0, have));
  while (have < MAX_LINE_BYTES && line.subarray(0, have).indexOf(0x0a) < 0) {
    const n = await read(line.subarray(have));
    if (n === null) break;
    have += n;
  }
  return serverRefusal(line.subarray(0, have));
}

/** Whether `bytes` start with the refusal's prefix (and more). */
function startsRefusal(bytes: Uint8Array): boolean {
  if (bytes.length <= PREFIX.length) return false;
  for (let i = 0; i < PREFIX.length; i++) {
    if (bytes[i] !== PREFIX.charCodeAt(i)) return false;
  }
  return true;
}

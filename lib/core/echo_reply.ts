/**
 * What `echo serve` answers in each mode: the classic tutorial servers' replies. Pure code.
 * @module
 */
import { formatCtime } from "./ctime.ts";

/** The reply modes of `echo serve`. */
export type EchoMode = "echo" | "upper" | "stamp" | "prefix";

/** Every mode, for the `--mode` flag. */
export const ECHO_MODES: readonly EchoMode[] = ["echo", "upper", "stamp", "prefix"];

/** The prefix of `prefix` mode unless `--prefix` gives another. */
export const DEFAULT_PREFIX = "OK...";

const encoder = new TextEncoder();

/** Options of {@link createReplier}. */
export interface ReplierOptions {
  /** The prefix of `prefix` mode; default {@link DEFAULT_PREFIX}. */
  readonly prefix?: string;
  /** The clock of `stamp` mode; default the current time. */
  readonly now?: () => Date;
}

/**
 * Turns received data into the reply. Each call is one message: a chunk as read from a stream
 * (plain mode), one datagram, or one frame's body (framed mode).
 */
export interface Replier {
  /** The bytes put in front of each message's data (empty for echo and upper). */
  head(): Uint8Array;
  /**
   * Transforms data in place where the mode allows and returns the bytes to send (echo and
   * upper return `data` itself: reuse of the buffer after the send is safe).
   */
  body(data: Uint8Array): Uint8Array;
}

/**
 * Uppercases ASCII letters in place, as Python's `bytes.upper()`: other bytes (including UTF-8
 * sequences) pass unchanged, so the length never changes and any split of the data gives the
 * same result.
 */
export function upperAsciiInPlace(data: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b >= 0x61 && b <= 0x7a) data[i] = b - 0x20;
  }
  return data;
}

/** Creates the replier for a mode. */
export function createReplier(mode: EchoMode, options: ReplierOptions = {}): Replier {
  const empty = new Uint8Array();
  switch (mode) {
    case "echo":
      return { head: () => empty, body: (d) => d };
    case "upper":
      return { head: () => empty, body: upperAsciiInPlace };
    case "stamp": {
      const now = options.now ?? (() => new Date());
      return { head: () => encoder.encode(`[${formatCtime(now())}] `), body: (d) => d };
    }
    case "prefix": {
      const bytes = encoder.encode(options.prefix ?? DEFAULT_PREFIX);
      return { head: () => bytes, body: (d) => d };
    }
  }
}

/** The whole reply to one message: head then body, as one new array (or `data` if no head). */
export function replyTo(replier: Replier, data: Uint8Array): Uint8Array {
  const head = replier.head();
  const body = replier.body(data);
  if (head.length === 0) return body;
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

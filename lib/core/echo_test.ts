/**
 * The pure parts of `echo test`: targets, payloads, byte-by-byte verification, UDP sequence
 * accounting and the result it reports. No I/O.
 * @module
 */
import { Buffer } from "node:buffer";
import { ExitCode } from "./exit_code.ts";
import { InputError, quote } from "./errors.ts";
import { parsePort } from "./parse_number.ts";

/** An IP endpoint given as `HOST:PORT`, `[IPv6]:PORT` or a bare `PORT` (127.0.0.1). */
export interface HostPort {
  readonly hostname: string;
  readonly port: number;
}

/** Parses `echo test`'s TARGET: `HOST:PORT`, `[IPv6]:PORT` or a bare `PORT` (on 127.0.0.1). */
export function parseHostPort(text: string): HostPort {
  const allowed = "expected HOST:PORT, [IPv6]:PORT or PORT";
  const t = text.trim();
  if (/^[0-9]+$/.test(t)) return { hostname: "127.0.0.1", port: parsePort(t) };
  const bracketed = /^\[([^\]]+)\]:([^:]*)$/.exec(t);
  if (bracketed) return { hostname: bracketed[1], port: parsePort(bracketed[2]) };
  const plain = /^([^:\[\]\s]+):([^:]*)$/.exec(t);
  if (plain) return { hostname: plain[1], port: parsePort(plain[2]) };
  throw new InputError(`invalid target ${quote(text)}: ${allowed}`);
}

/** Bytes at the start of every UDP payload: a 4-byte run id and a 4-byte sequence number. */
export const UDP_SEQUENCE_BYTES = 8;

/** Largest UDP payload over IPv4 (65 535 − 8 UDP − 20 IP header bytes). */
export const MAX_UDP_PAYLOAD = 65_507;

/**
 * The largest `size` of a UDP echo message: one datagram, less 64 bytes for the frame header
 * when framed.
 *
 * @example
 * ```ts
 * import { maxUdpMessageSize } from "./echo_test.ts";
 * maxUdpMessageSize(true); // 65443
 * ```
 */
export function maxUdpMessageSize(framed: boolean): number {
  return MAX_UDP_PAYLOAD - (framed ? 64 : 0);
}

/** Length of the random pattern payloads are cut from (a prime, so chunks never line up). */
export const PATTERN_BYTES = 1_048_573;

/**
 * Where message `seq` starts in a pattern whose first `patternLength` bytes are random (and
 * which continues with a copy of its start, see {@link makePattern}): a different place for
 * consecutive messages, so that a stale or shifted reply never matches by accident.
 */
export function payloadOffset(seq: number, patternLength: number): number {
  return ((seq * 7919) % patternLength + patternLength) % patternLength;
}

/**
 * Fills a new pattern of `length` random bytes followed by a copy of its first `wrap` bytes, so
 * that a window of up to `wrap` bytes starting anywhere in the first `length` is contiguous.
 * `random` fills a buffer (crypto.getRandomValues by default, 64 KiB at a time).
 */
export function makePattern(
  length: number,
  wrap = 0,
  random: (chunk: Uint8Array) => void = (c) => crypto.getRandomValues(c),
): Uint8Array {
  const out = new Uint8Array(length + wrap);
  for (let off = 0; off < length; off += 65_536) {
    random(out.subarray(off, Math.min(length, off + 65_536)));
  }
  for (let off = 0; off < wrap; off += length) {
    out.copyWithin(length + off, 0, Math.min(length, wrap - off));
  }
  return out;
}

/** From this length on {@link firstDifference} compares natively before searching. */
const NATIVE_COMPARE_BYTES = 256;

/** The first `n` bytes of `bytes` as a Buffer over the same memory (no copy). */
function nativeView(bytes: Uint8Array, n: number): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, n);
}

/**
 * The first offset where `actual` differs from `expected`, or -1 when they are equal. When one
 * is a prefix of the other, the length of the shorter. Long views are compared natively first;
 * a difference is then located four bytes at a time when both views share their alignment.
 */
export function firstDifference(expected: Uint8Array, actual: Uint8Array): number {
  const n = Math.min(expected.length, actual.length);
  // Native comparison (memcmp) first: the JavaScript loops below only locate a difference.
  if (n >= NATIVE_COMPARE_BYTES && nativeView(expected, n).equals(nativeView(actual, n))) {
    return expected.length === actual.length ? -1 : n;
  }
  let i = 0;
  if (n >= 32 && (expected.byteOffset & 3) === (actual.byteOffset & 3)) {
    while (((expected.byteOffset + i) & 3) !== 0) {
      if (expected[i] !== actual[i]) return i;
      i++;
    }
    const words = (n - i) >>> 2;
    const e = new Int32Array(expected.buffer, expected.byteOffset + i, words);
    const a = new Int32Array(actual.buffer, actual.byteOffset + i, words);
    for (let w = 0; w < words; w++) {
      if (e[w] !== a[w]) {
        for (let k = i + w * 4;; k++) if (expected[k] !== actual[k]) return k;
      }
    }
    i += words * 4;
  }
  for (; i < n; i++) {
    if (expected[i] !== actual[i]) return i;
  }
  return expected.length === actual.length ? -1 : n;
}

/**
 * The first `i < length` where `actual[i]` differs from `expected[expectedStart + i]`, or -1 when
 * all `length` bytes match. The same answer as {@link firstDifference} on the two windows, without
 * making views of them: cheaper for the short echoes of a ping-pong.
 */
export function firstDifferenceAt(
  expected: Uint8Array,
  expectedStart: number,
  actual: Uint8Array,
  length: number,
): number {
  if (length >= NATIVE_COMPARE_BYTES) {
    return firstDifference(
      expected.subarray(expectedStart, expectedStart + length),
      actual.subarray(0, length),
    );
  }
  for (let i = 0; i < length; i++) {
    if (expected[expectedStart + i] !== actual[i]) return i;
  }
  return -1;
}

/** Writes the UDP sequence header (run id, sequence number; big-endian) into a payload. */
export function writeSequence(payload: Uint8Array, runId: number, seq: number): void {
  const view = new DataView(payload.buffer, payload.byteOffset, UDP_SEQUENCE_BYTES);
  view.setUint32(0, runId >>> 0, false);
  view.setUint32(4, seq >>> 0, false);
}

/** Reads the UDP sequence header, or undefined when the payload is too short to carry one. */
export function readSequence(payload: Uint8Array): { runId: number; seq: number } | undefined {
  if (payload.length < UDP_SEQUENCE_BYTES) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, UDP_SEQUENCE_BYTES);
  return { runId: view.getUint32(0, false), seq: view.getUint32(4, false) };
}

/** How one received sequence number counts. */
export type SequenceVerdict = "new" | "duplicate" | "reordered";

/**
 * Counts UDP replies by sequence number: duplicates (seen before), reordered (arrived after a
 * higher one), and from the number sent, the lost ones.
 */
export class SequenceTracker {
  readonly #seen = new Set<number>();
  #highest = -1;
  /** Distinct sequence numbers received. */
  received = 0;
  /** Replies whose sequence number had been received already. */
  duplicates = 0;
  /** Replies that arrived after one with a higher sequence number. */
  reordered = 0;

  /** Records one received sequence number and says how it counts. */
  record(seq: number): SequenceVerdict {
    if (this.#seen.has(seq)) {
      this.duplicates++;
      return "duplicate";
    }
    this.#seen.add(seq);
    this.received++;
    if (seq < this.#highest) {
      this.reordered++;
      return "reordered";
    }
    this.#highest = seq;
    return "new";
  }

  /** Whether a sequence number has been received. */
  has(seq: number): boolean {
    return this.#seen.has(seq);
  }
}

/** Round-trip time statistics in milliseconds. */
export interface RttSummary {
  /** Round trips measured. */
  readonly samples: number;
  /** The fastest round trip, in milliseconds. */
  readonly minMs: number;
  /** The mean round trip, in milliseconds. */
  readonly meanMs: number;
  /** The median round trip, in milliseconds. */
  readonly p50Ms: number;
  /** The 90th percentile, in milliseconds. */
  readonly p90Ms: number;
  /** The 99th percentile, in milliseconds. */
  readonly p99Ms: number;
  /** The slowest round trip, in milliseconds. */
  readonly maxMs: number;
  /** The standard deviation, in milliseconds. */
  readonly stddevMs: number;
}

/** The first byte where an echo differed from what was sent. */
export interface EchoMismatch {
  /** Connection (or UDP socket) number, from 1. */
  readonly connection: number;
  /** Message number on that connection, from 1 (stream mode: the read, from 1). */
  readonly message: number;
  /** Offset of the first differing byte within the message (stream mode: within the stream). */
  readonly offset: number;
  /** The byte sent there, or null when the reply was longer than the message. */
  readonly expected: number | null;
  /** The byte received there, or null when the reply was shorter. */
  readonly actual: number | null;
}

/** UDP delivery counts. */
export interface UdpCounts {
  /** Messages that got no reply. */
  readonly lost: number;
  /** `lost` as a percentage of the messages sent. */
  readonly lossPercent: number;
  /** Replies received more than once. */
  readonly duplicates: number;
  /** Replies that came after the reply to a later message. */
  readonly reordered: number;
}

/** What `echo test` reports. */
export interface EchoTestResult {
  /** The target as connected to (`127.0.0.1:7007`, a socket path). */
  readonly target: string;
  /** The transport tested. */
  readonly transport: "tcp" | "udp" | "unix";
  /** `ping-pong`: one message at a time per connection; `stream`: bulk full duplex. */
  readonly pattern: "ping-pong" | "stream";
  /** Whether the framing protocol was spoken. */
  readonly framed: boolean;
  /** Parallel connections (UDP: sockets). */
  readonly connections: number;
  /** Message size in bytes (stream mode: the write size). */
  readonly size: number;
  /** Messages sent (stream mode: writes). */
  readonly messagesSent: number;
  /** Replies received whole and identical to what was sent. */
  readonly messagesVerified: number;
  /** Bytes sent. */
  readonly bytesSent: number;
  /** Bytes received back and verified. */
  readonly bytesVerified: number;
  /** How long the test ran, in milliseconds. */
  readonly durationMs: number;
  /** Verified echoes per second. */
  readonly messagesPerSecond: number;
  /** Verified echoed bytes per second. */
  readonly bytesPerSecond: number;
  /** Round trips (ping-pong mode; null in stream mode or with no reply). */
  readonly rtt: RttSummary | null;
  /** UDP only. */
  readonly udp?: UdpCounts;
  /** Set when an echo differed: the test stopped there. */
  readonly mismatch?: EchoMismatch;
  /** Set when the test could not finish: "what failed: why". */
  readonly error?: string;
  /** With `error`, when the failure was a network error: its code (`ECONNREFUSED`, …). */
  readonly errorCode?: string;
  /** True when SIGINT/SIGTERM ended the test early. */
  readonly interrupted?: true;
}

/** What one connection (UDP: socket) of `echo test` did; reported as it ends. */
export interface EchoConnectionResult {
  /** Connection (UDP: socket) number, from 1. */
  readonly connection: number;
  /** Messages sent (stream mode: writes). */
  readonly messagesSent: number;
  /** Replies received whole and identical to what was sent (stream mode: whole writes). */
  readonly messagesVerified: number;
  /** Bytes sent. */
  readonly bytesSent: number;
  /** Bytes received back and verified. */
  readonly bytesVerified: number;
  /** From the start of the test until this connection ended, in milliseconds. */
  readonly durationMs: number;
}

/**
 * The exit code of a test: 1 for a mismatch or UDP with no reply at all, 3 when it could not
 * finish (timeout, reset), else 0.
 */
export function echoTestExitCode(result: EchoTestResult): ExitCode {
  if (result.mismatch) return ExitCode.Negative;
  if (result.error) return ExitCode.Failure;
  if (result.udp && result.messagesSent > 0 && result.messagesVerified === 0) {
    return ExitCode.Negative;
  }
  return ExitCode.Ok;
}

/** Rounds to three decimals (microseconds in milliseconds). */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Rounds to two decimals. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

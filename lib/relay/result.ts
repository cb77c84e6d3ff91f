/**
 * What every relay returns: the bytes moved each way, how long it took and how it ended.
 * @module
 */

/**
 * How a relay ended.
 *
 * - `peer`: the peer closed its side (streams: the normal end).
 * - `idle`: nothing moved for the idle timeout. A stream relay gives up on a silent peer; a UDP
 *   relay ends this way normally (no more replies after the input ended, or the listener's
 *   senders went quiet).
 * - `stopped`: the caller's AbortSignal stopped it.
 * - `error`: a read, write, send or receive failed (see {@link RelayResult.error}).
 * - `refused`: UDP only: the peer's host answered "port unreachable" (where the runtime shows it).
 */
export type RelayEnd = "peer" | "idle" | "stopped" | "error" | "refused";

/** What a relay moved and how it ended. */
export interface RelayResult {
  /** Bytes written to the peer. */
  readonly bytesSent: number;
  /** Bytes received from the peer. */
  readonly bytesReceived: number;
  /** Milliseconds from the start of the relay to its end. */
  readonly durationMs: number;
  /** How it ended. */
  readonly end: RelayEnd;
  /** The error that ended it, for `error` and `refused` (usually a NetError). */
  readonly error?: unknown;
}

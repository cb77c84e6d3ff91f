/**
 * The receive side of a push-style socket (node:net's "data" events, Bun's `data` callback) as
 * the pull-style reads of a {@link Connection}: chunks wait in a queue, the socket is paused
 * while too many bytes wait unread, and end of stream, failure and local close are reported in
 * the order `read` promises.
 * @module
 */
import type { Connection, NetError } from "./types.ts";

/** Pause reading from the kernel once this many bytes wait unread. */
const HIGH_WATER = 1 << 20;

/** What the queue needs of its socket: flow control. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Received chunks waiting for `read` / `readChunk`; one per connection. */
export class ReceiveQueue implements Pick<Connection, "read" | "readChunk"> {
  readonly #flow: FlowControl;
  #chunks: Uint8Array[] = [];
  #queued = 0;
  #paused = false;
  #ended = false;
  #closed = false;
  #failure: NetError | undefined;
  #wake: (() => void) | undefined;

  /** A queue that pauses and resumes `flow`. */
  constructor(flow: FlowControl) {
    this.#flow = flow;
  }

  /** The first failure reported, if any. */
  get failure(): NetError | undefined {
    return this.#failure;
  }

  /** Bytes arrived (a buffer the queue may keep). */
  push(chunk: Uint8Array): void {
    if (this.#closed) return;
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued >= HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    }
    this.#notify();
  }

  /** The peer ended the stream, or the socket failed (the first failure is kept). */
  end(failure?: NetError): void {
    this.#failure ??= failure;
    this.#ended = true;
    this.#notify();
  }

  /** Closed locally: nothing more is queued; once the queued bytes are read, reads give null. */
  close(): void {
    this.#closed = true;
    this.#notify();
  }

  async read(buffer: Uint8Array): Promise<number | null> {
    if (!(await this.#ready())) return null;
    const chunks = this.#chunks;
    let n = 0;
    while (n < buffer.length && chunks.length > 0) {
      const head = chunks[0];
      const k = Math.min(head.length, buffer.length - n);
      buffer.set(k === head.length ? head : head.subarray(0, k), n);
      n += k;
      if (k === head.length) chunks.shift();
      else chunks[0] = head.subarray(k);
    }
    this.#consumed(n);
    return n;
  }

  async readChunk(): Promise<Uint8Array | null> {
    if (!(await this.#ready())) return null;
    const chunk = this.#chunks.shift()!;
    this.#consumed(chunk.length);
    return chunk;
  }

  /** Waits for a chunk: true when one is queued, false at end of stream; throws a failure. */
  async #ready(): Promise<boolean> {
    for (;;) {
      if (this.#chunks.length > 0) return true;
      if (this.#closed) return false;
      if (this.#failure) throw this.#failure;
      if (this.#ended) return false;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #consumed(n: number): void {
    this.#queued -= n;
    if (this.#paused && this.#queued < HIGH_WATER) {
      this.#paused = false;
      this.#flow.resume();
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

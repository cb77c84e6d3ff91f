/**
 * The receive side of a push-style socket (node:net's "data" events, Bun's `data` callback) as
 * the pull-style reads of a {@link Connection}: chunks wait in a queue, the socket is paused
 * while too many bytes wait unread or while its owner {@link ReceiveQueue.hold holds} it (a
 * write the peer does not take), and end of stream, failure and local close are reported in
 * the order `read` promises.
 * @module
 */
import { type Connection, type NetError, RECEIVE_HIGH_WATER } from "./types.ts";

/** Pause reading from the kernel once this many bytes wait unread. */
const HIGH_WATER = RECEIVE_HIGH_WATER;

/** What the queue needs of its socket: flow control. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** A read waiting for bytes: `buffer` for `read`, none for `readChunk`. */
interface Waiter {
  buffer: Uint8Array | undefined;
  resolve(value: Uint8Array | number | null): void;
  reject(reason: unknown): void;
}

/** Received chunks waiting for `read` / `readChunk`; one per connection. */
export class ReceiveQueue implements Pick<Connection, "read" | "readChunk"> {
  readonly #flow: FlowControl;
  #chunks: Uint8Array[] = [];
  #queued = 0;
  #paused = false;
  #held = false;
  #ended = false;
  #closed = false;
  #failure: NetError | undefined;
  #waiter: Waiter | undefined;

  /** A queue that pauses and resumes `flow`. */
  constructor(flow: FlowControl) {
    this.#flow = flow;
  }

  /** Bytes received and not read yet. */
  get queued(): number {
    return this.#queued;
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
    if (this.#queued >= HIGH_WATER) this.#pause();
    this.#notify();
  }

  /**
   * Holds the socket paused however little is queued (`true`: a write waits for the peer to
   * take it, so reading on would only pile up bytes to answer), or lets it go (`false`).
   */
  hold(on: boolean): void {
    if (this.#held === on) return;
    this.#held = on;
    if (on) this.#pause();
    else if (this.#queued < HIGH_WATER) this.#resume();
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#flow.pause();
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#flow.resume();
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

  read(buffer: Uint8Array): Promise<number | null> {
    if (this.#chunks.length > 0) return Promise.resolve(this.#copyInto(buffer));
    return this.#settled() ?? this.#wait<number>(buffer);
  }

  readChunk(): Promise<Uint8Array | null> {
    if (this.#chunks.length > 0) return Promise.resolve(this.#shift());
    return this.#settled() ?? this.#wait<Uint8Array>(undefined);
  }

  /** With nothing queued: null at end of stream or close, the failure, or undefined while open. */
  #settled(): Promise<null> | undefined {
    if (this.#closed) return Promise.resolve(null);
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve(null);
    return undefined;
  }

  /** A read that waits; `push`, `end` and `close` settle it directly (no extra promise hops). */
  #wait<T>(buffer: Uint8Array | undefined): Promise<T | null> {
    return new Promise<T | null>((resolve, reject) => {
      this.#waiter = { buffer, resolve: resolve as Waiter["resolve"], reject };
    });
  }

  /** Copies queued bytes into `buffer` (as many as fit); the count copied. */
  #copyInto(buffer: Uint8Array): number {
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

  /** Takes the first queued chunk whole. */
  #shift(): Uint8Array {
    const chunk = this.#chunks.shift()!;
    this.#consumed(chunk.length);
    return chunk;
  }

  #consumed(n: number): void {
    this.#queued -= n;
    if (this.#paused && this.#queued < HIGH_WATER && !this.#held) {
      this.#paused = false;
      this.#flow.resume();
    }
  }

  /** Settles a waiting read, if there is one and it can be settled now. */
  #notify(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    if (this.#chunks.length > 0) {
      this.#waiter = undefined;
      waiter.resolve(waiter.buffer ? this.#copyInto(waiter.buffer) : this.#shift());
      return;
    }
    const settled = this.#settled();
    if (settled === undefined) return;
    this.#waiter = undefined;
    settled.then(waiter.resolve, waiter.reject);
  }
}

/**
 * One Bun socket (TCP, Unix, or TLS after its handshake) as netdiag's pull-style
 * {@link Connection}: received bytes wait in a {@link ReceiveQueue}, writes the kernel does not
 * take whole wait for Bun's `drain`. Its owner feeds it Bun's socket callbacks.
 * @module
 */
import { ReceiveQueue } from "./receive_queue.ts";
import {
  type Connection,
  formatAddress,
  NetError,
  type SocketAddress,
  toNetError,
} from "./types.ts";

/** The part of a Bun socket that this adapter uses (Bun's types are not a dependency). */
export interface BunSocket {
  /** What the socket's owner keeps with it (the shared handlers find their state here). */
  data: unknown;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  /** Bytes the kernel took (possibly fewer than given), or -1 once closed. */
  write(data: Uint8Array): number;
  /** Half-closes (sends FIN); reads go on. */
  shutdown(): void;
  /** Closes both directions (FIN, as close(2) does); Bun has no buffered bytes to flush. */
  end(): void;
  /** Closes at once with a reset (RST). */
  terminate(): void;
  pause(): void;
  resume(): void;
  setNoDelay(noDelay: boolean): boolean;
}

/** A write the kernel has not taken whole yet. */
interface PendingWrite {
  data: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: NetError) => void;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** One Bun socket as netdiag's pull-style {@link Connection}; fed by the shared handlers. */
export class BunStream implements Connection {
  readonly localAddr: SocketAddress;
  readonly remoteAddr: SocketAddress;
  readonly #socket: BunSocket;
  readonly #where: string;
  readonly #unix: boolean;
  readonly #received: ReceiveQueue;
  #closed = false;
  #holdWhileWriting = false;
  #writes: PendingWrite[] = [];
  #flushed: (() => void) | undefined;

  constructor(socket: BunSocket, unixPath?: string) {
    this.#socket = socket;
    this.#received = new ReceiveQueue(socket);
    this.#unix = unixPath !== undefined;
    if (unixPath !== undefined) {
      this.localAddr = this.remoteAddr = { transport: "unix", path: unixPath };
    } else {
      this.localAddr = {
        transport: "tcp",
        hostname: socket.localAddress ?? "",
        port: socket.localPort ?? 0,
      };
      this.remoteAddr = {
        transport: "tcp",
        hostname: socket.remoteAddress ?? "",
        port: socket.remotePort ?? 0,
      };
    }
    this.#where = formatAddress(this.remoteAddr);
  }

  /** Bun delivered bytes (a buffer of their own). */
  onData(chunk: Uint8Array): void {
    this.#received.push(chunk);
  }

  /** The peer half-closed, or the socket closed (with an error when it failed). */
  onEnd(error?: Error): void {
    this.#received.end(error && toNetError(error, "read", this.#where));
  }

  /** The socket is gone: writes still waiting fail. */
  onClose(error?: Error): void {
    this.onEnd(error);
    this.#failWrites(this.#received.failure ?? new NetError("EPIPE", "write", this.#where));
  }

  /** The kernel takes bytes again: go on with the waiting writes. */
  onDrain(): void {
    while (this.#writes.length > 0) {
      const head = this.#writes[0];
      const n = this.#socket.write(head.data);
      if (n < 0) {
        this.#failWrites(new NetError("EPIPE", "write", this.#where));
        return;
      }
      if (n < head.data.length) {
        head.data = head.data.subarray(n);
        return;
      }
      this.#writes.shift();
      head.resolve();
    }
    this.#received.hold(false);
    this.#flushedNow();
  }

  #flushedNow(): void {
    const flushed = this.#flushed;
    this.#flushed = undefined;
    flushed?.();
  }

  #failWrites(error: NetError): void {
    for (const w of this.#writes.splice(0)) w.reject(error);
    this.#received.hold(false);
    this.#flushedNow();
  }

  read(buffer: Uint8Array): Promise<number | null> {
    return this.#received.read(buffer);
  }

  readChunk(): Promise<Uint8Array | null> {
    return this.#received.readChunk();
  }

  write(data: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(new NetError("CLOSED", "write", this.#where));
    if (this.#received.failure) {
      return Promise.reject(new NetError("EPIPE", "write", this.#where));
    }
    let rest = data;
    if (this.#writes.length === 0) {
      const n = this.#socket.write(data);
      if (n === data.length) return RESOLVED;
      if (n < 0) return Promise.reject(new NetError("EPIPE", "write", this.#where));
      rest = data.subarray(n);
      // The peer is not taking what it is sent: read no more from it until it does.
      if (this.#holdWhileWriting) this.#received.hold(true);
    }
    return new Promise((resolve, reject) => this.#writes.push({ data: rest, resolve, reject }));
  }

  async closeWrite(): Promise<void> {
    if (this.#closed) return;
    if (this.#writes.length > 0) {
      await new Promise<void>((resolve) => (this.#flushed = resolve));
    }
    if (!this.#closed) this.#socket.shutdown();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.end();
    this.#failWrites(new NetError("CLOSED", "write", this.#where));
    this.#received.close();
  }

  setNoDelay(noDelay: boolean): void {
    if (!this.#unix) this.#socket.setNoDelay(noDelay);
  }

  pauseReadsWhileWriting(on: boolean): void {
    this.#holdWhileWriting = on;
    if (!on) this.#received.hold(false);
    else if (this.#writes.length > 0) this.#received.hold(true);
  }

  /** Bytes received and not read, plus bytes of waiting writes the kernel has not taken. */
  get bufferedBytes(): number {
    let unsent = 0;
    for (const w of this.#writes) unsent += w.data.length;
    return this.#received.queued + unsent;
  }
}

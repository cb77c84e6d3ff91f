/**
 * The receive side of a push-style UDP socket (node:dgram's "message" events) as the pull-style
 * `receive` of a {@link DatagramSocket}: datagrams nobody has asked for yet wait in a bounded
 * inbox (node:dgram reads whatever arrives, so the inbox stands in for the kernel's receive
 * buffer: past its bound, datagrams are dropped and counted), errors wait for the next receive.
 * @module
 */
import { type Datagram, type DatagramSocket, NetError } from "./types.ts";

/** Datagrams kept for later receives, in bytes, before new ones are dropped. */
export const MAX_INBOX_BYTES = 4 * 1024 * 1024;

interface Waiter {
  resolve(d: Datagram): void;
  reject(e: Error): void;
}

/** Datagrams and errors waiting for `receive`; one per socket. */
export class DatagramInbox implements Pick<DatagramSocket, "receive"> {
  readonly #where: () => string;
  readonly #queued: Datagram[] = [];
  readonly #errors: NetError[] = [];
  readonly #waiters: Waiter[] = [];
  #bytes = 0;
  #closed = false;
  /** Datagrams dropped because the inbox was full. */
  drops = 0;

  /** An inbox whose errors name the socket as `where()` says (it changes once bound). */
  constructor(where: () => string) {
    this.#where = where;
  }

  /** A datagram arrived. */
  deliver(d: Datagram): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve(d);
    } else if (this.#bytes + d.data.length > MAX_INBOX_BYTES) {
      this.drops++;
    } else {
      this.#queued.push(d);
      this.#bytes += d.data.length;
    }
  }

  /** The socket reported an error (an ICMP error for an earlier send): the next receive gets it. */
  fail(e: NetError): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.reject(e);
    else this.#errors.push(e);
  }

  /** The socket closed: waiting receives and later ones reject with `CLOSED`. */
  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) {
      w.reject(new NetError("CLOSED", "receive", this.#where()));
    }
  }

  receive(signal?: AbortSignal): Promise<Datagram> {
    const self = this.#where();
    if (this.#closed) return Promise.reject(new NetError("CLOSED", "receive", self));
    if (signal?.aborted) return Promise.reject(new NetError("ABORTED", "receive", self));
    const queued = this.#queued.shift();
    if (queued) {
      this.#bytes -= queued.data.length;
      return Promise.resolve(queued);
    }
    const error = this.#errors.shift();
    if (error) return Promise.reject(error);
    return new Promise<Datagram>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (d) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(d);
        },
        reject: (e) => {
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new NetError("ABORTED", "receive", self));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }
}

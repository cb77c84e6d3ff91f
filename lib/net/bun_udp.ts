/**
 * UDP for the Bun adapter on `Bun.udpSocket`. Bun's node:dgram is a JavaScript layer over the same
 * native socket (one sendmmsg(2) per datagram either way, as strace shows): without it a send costs
 * less (Bun 1.4.5, 20,000 40-byte sends to loopback on a loaded 2-core VM: 25 µs against 39 µs)
 * and a UDP echo ping-pong client ~11% less CPU. What it cannot do, node:dgram still does (see
 * {@link bindBunDatagram}).
 *
 * Measured behaviour this file relies on (Bun 1.4.5, Linux): a connected socket reports an ICMP
 * port-unreachable to its `error` handler as `ECONNREFUSED` (so
 * {@link DatagramSocket.reportsUnreachable} holds); an unconnected one reports it too (Bun reads
 * the error queue), which node:dgram does not, so there such errors are ignored: one gone peer
 * must not fail a server's receive. `data` gets a new buffer per datagram (kept as is, no copy).
 * `send` needs an IP literal (no lookup) and returns false when the kernel would block (then
 * `drain` follows); the error handler is called with the socket as `this` and the error as its
 * only argument.
 * @module
 */
import { ipVersion, sameEndpoint, unwrapHost } from "./endpoint_text.ts";
import { lazyNodeAdapter } from "./node_lazy.ts";
import { DatagramInbox } from "./datagram_inbox.ts";
import { UdpSendBatch, type WaitingQueue } from "./bun_udp_batch.ts";
import { totalReceiveDrops } from "./udp_drops.ts";
import {
  type DatagramOptions,
  type DatagramSocket,
  type Endpoint,
  formatAddress,
  NetError,
  type SocketAddress,
  toNetError,
} from "./types.ts";

/** The part of a `Bun.udpSocket` this file uses (Bun's types are not a dependency). */
interface BunUdpSocket {
  readonly address: { readonly address: string; readonly port: number };
  /** Connected: `send(data)`; unconnected: `send(data, port, address)`. False: try after drain. */
  send(data: Uint8Array, port?: number, address?: string): boolean;
  /** Connected: sends each datagram (sendmmsg); returns how many the kernel took. */
  sendMany(packets: readonly Uint8Array[]): number;
  close(): void;
}

interface BunUdpHandlers {
  data(socket: BunUdpSocket, data: Uint8Array, port: number, address: string): void;
  drain(socket: BunUdpSocket): void;
  error(this: BunUdpSocket, error: Error): void;
}

type BunUdpSocketFactory = (options: Record<string, unknown>) => Promise<BunUdpSocket>;

const bunUdpSocket: BunUdpSocketFactory | undefined = (() => {
  const bun = (globalThis as { Bun?: { udpSocket?: BunUdpSocketFactory } }).Bun;
  return typeof bun?.udpSocket === "function" ? bun.udpSocket.bind(bun) : undefined;
})();

const RESOLVED: Promise<void> = Promise.resolve();

/** Names a socket remembers the address of before it forgets them all (sends to names are rare). */
const MAX_REMEMBERED_NAMES = 64;

/**
 * Binds a UDP socket on `Bun.udpSocket`, or on node:dgram (node.ts's adapter) where that cannot do
 * what is asked: kernel buffer sizes (`Bun.udpSocket` takes no SO_RCVBUF/SO_SNDBUF option and has
 * no setter: with `recvBufferSize` given it still gets `net.core.rmem_default`, as `ss -uam`
 * shows, while node:dgram on Bun sets it), a bind or connect address that is a name (it resolves
 * none), and runtimes without `Bun.udpSocket`.
 */
export function bindBunDatagram(options: DatagramOptions): Promise<DatagramSocket> {
  const host = unwrapHost(options.hostname);
  if (
    !bunUdpSocket || options.receiveBufferBytes || options.sendBufferBytes || !ipVersion(host) ||
    (options.connect && !ipVersion(unwrapHost(options.connect.hostname)))
  ) {
    return lazyNodeAdapter().then((node) => node.bindDatagram(options));
  }
  return bindOnBun(bunUdpSocket, host, options);
}

async function bindOnBun(
  factory: BunUdpSocketFactory,
  host: string,
  options: DatagramOptions,
): Promise<DatagramSocket> {
  let where = formatAddress({ hostname: host, port: options.port });
  const inbox = new DatagramInbox(() => where);
  const state = new SendState();
  const peer = options.connect;
  const peerText = peer ? formatAddress(peer) : undefined;
  const handlers: BunUdpHandlers = {
    data(_socket, data, port, address) {
      inbox.deliver({ data, from: { hostname: address, port } });
    },
    drain: () => state.drain(),
    error(error) {
      // An unconnected socket hears of every peer's ICMP errors: node:dgram reports none of them.
      if (peerText !== undefined) inbox.fail(toNetError(error, "receive", peerText));
    },
  };
  let socket: BunUdpSocket;
  try {
    socket = await factory({
      hostname: host,
      port: options.port,
      binaryType: "uint8array",
      socket: handlers,
      ...(peer ? { connect: { hostname: unwrapHost(peer.hostname), port: peer.port } } : {}),
    });
  } catch (error) {
    throw toNetError(error, "bind", where);
  }
  const bound = socket.address;
  where = formatAddress({ hostname: bound.address, port: bound.port });
  state.socket = socket;
  return datagramApi(socket, inbox, state, options, bound);
}

/** A datagram the kernel would not take yet: sent again on `drain`. */
interface WaitingSend {
  readonly data: Uint8Array;
  readonly port: number | undefined;
  readonly address: string | undefined;
  readonly target: string;
  readonly resolve: () => void;
  readonly reject: (error: NetError) => void;
}

/** A socket's sends that wait for `drain`, in order. */
class SendState implements WaitingQueue {
  socket: BunUdpSocket | undefined;
  readonly waiting: WaitingSend[] = [];

  /** Whether sends are waiting for `drain`. */
  get busy(): boolean {
    return this.waiting.length > 0;
  }

  /**
   * Queues a datagram behind the waiting ones, to `address`:`port` or, without them, to the
   * connected peer (`target` names it for errors); resolves once the kernel took it.
   */
  wait(data: Uint8Array, target: string, port?: number, address?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ data, port, address, target, resolve, reject });
    });
  }

  /** The kernel takes datagrams again: send the waiting ones until it would block again. */
  drain(): void {
    const socket = this.socket;
    if (!socket) return;
    while (this.waiting.length > 0) {
      const w = this.waiting[0];
      try {
        if (!sendNow(socket, w.data, w.port, w.address)) return;
        this.waiting.shift();
        w.resolve();
      } catch (error) {
        this.waiting.shift();
        w.reject(toNetError(error, "send", w.target));
      }
    }
  }

  /** The socket closed: the waiting sends fail. */
  close(where: string): void {
    for (const w of this.waiting.splice(0)) w.reject(new NetError("CLOSED", "send", where));
  }
}

function sendNow(socket: BunUdpSocket, data: Uint8Array, port?: number, address?: string) {
  return address === undefined ? socket.send(data) : socket.send(data, port, address);
}

/** The {@link DatagramSocket} over a bound `Bun.udpSocket`. */
function datagramApi(
  socket: BunUdpSocket,
  inbox: DatagramInbox,
  state: SendState,
  options: DatagramOptions,
  bound: { address: string; port: number },
): DatagramSocket {
  const addr: SocketAddress = { transport: "udp", hostname: bound.address, port: bound.port };
  const self = formatAddress(addr);
  const family = ipVersion(bound.address) === 6 ? 6 : 4;
  const names = new Map<string, Promise<string>>();
  let closed = false;
  const peerText = options.connect ? formatAddress(options.connect) : "";
  const batch = new UdpSendBatch(socket, state, peerText);
  const send = (data: Uint8Array, port: number | undefined, address: string | undefined) => {
    const target = address === undefined ? peerText : formatAddress({
      hostname: address,
      port: port!,
    });
    if (closed) return Promise.reject(new NetError("CLOSED", "send", target));
    try {
      if (!state.busy && sendNow(socket, data, port, address)) return RESOLVED;
    } catch (error) {
      return Promise.reject(toNetError(error, "send", target));
    }
    return state.wait(data, target, port, address);
  };
  /** A name's address for `send` (Bun.udpSocket takes literals only), looked up once. */
  const addressOf = (hostname: string): Promise<string> => {
    let address = names.get(hostname);
    if (!address) {
      if (names.size >= MAX_REMEMBERED_NAMES) names.clear();
      address = import("node:dns/promises").then((dns) => dns.lookup(hostname, { family }))
        .then((a) => a.address);
      names.set(hostname, address);
      address.catch(() => names.delete(hostname));
    }
    return address;
  };
  return {
    addr,
    // Measured: Bun.udpSocket reports ICMP port-unreachable on a connected socket (see above).
    reportsUnreachable: options.connect !== undefined,
    send(data: Uint8Array, to?: Endpoint) {
      const peer = options.connect;
      if (!to || (peer && sameEndpoint(to, peer))) {
        if (!peer) return Promise.reject(new NetError("EINVAL", "send", self));
        return send(data, undefined, undefined);
      }
      // A connected socket sends to its peer only (node:dgram throws for any other address).
      if (peer) return Promise.reject(new NetError("EINVAL", "send", formatAddress(to)));
      const host = unwrapHost(to.hostname);
      if (ipVersion(host)) return send(data, to.port, host);
      return addressOf(host).then(
        (address) => send(data, to.port, address),
        (error) => Promise.reject(toNetError(error, "send", formatAddress(to))),
      );
    },
    ...(options.connect ? { sendBatched: (data: Uint8Array) => batch.send(data) } : {}),
    receive: (signal) => inbox.receive(signal),
    receiveDrops: () => totalReceiveDrops(bound, inbox.drops),
    close() {
      if (closed) return;
      closed = true;
      batch.close(self);
      socket.close();
      state.close(self);
      inbox.close();
    },
  };
}

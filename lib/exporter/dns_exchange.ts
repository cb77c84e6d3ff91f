/**
 * One DNS exchange for the dns prober over the socket adapter, as miekg/dns's client makes it:
 * over UDP (one datagram out, the first reply from the server with the query's id taken, a
 * truncated one as it is) or TCP (two-byte length framing); timed as blackbox_exporter times it
 * (`connect`: the socket set-up, `request`: the round trip).
 * @module
 */
import { decodeMessage, type DnsMessage } from "../core/dns_message.ts";
import type { Connection, DatagramSocket, NetAdapter } from "../net/types.ts";

/** Options of {@link dnsExchange}. */
export interface DnsExchangeOptions {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly transport: "udp" | "tcp";
  readonly query: Uint8Array;
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** What an exchange came to: the response (or the error) and the phases in milliseconds. */
export interface DnsExchangeResult {
  readonly response?: DnsMessage;
  readonly error?: string;
  readonly connectMs: number;
  readonly requestMs: number;
}

function sameHost(a: string, b: string): boolean {
  return a.replace(/^::ffff:/, "").toLowerCase() === b.replace(/^::ffff:/, "").toLowerCase();
}

async function overUdp(
  adapter: NetAdapter,
  o: DnsExchangeOptions,
  signal: AbortSignal,
  mark: () => void,
): Promise<DnsMessage> {
  let socket: DatagramSocket | undefined;
  try {
    socket = await adapter.bindDatagram({
      hostname: o.family === 6 ? "::" : "0.0.0.0",
      port: 0,
      connect: { hostname: o.address, port: o.port },
    });
    mark();
    await socket.send(o.query);
    const id = (o.query[0] << 8) | o.query[1];
    for (let i = 0; i < 1000; i++) {
      const d = await socket.receive(signal);
      if (d.from.port !== o.port || !sameHost(d.from.hostname, o.address)) continue;
      if (d.data.length < 12 || ((d.data[0] << 8) | d.data[1]) !== id || !(d.data[2] & 0x80)) {
        continue;
      }
      return decodeMessage(d.data);
    }
    throw new Error("too many stray datagrams");
  } finally {
    socket?.close();
  }
}

/** Reads one length-framed message (RFC 1035 4.2.2), keeping no bytes beyond it. */
async function readFramed(conn: Connection): Promise<Uint8Array> {
  let buf = new Uint8Array(0);
  const need = (n: number) => buf.length >= n;
  while (!need(2) || !need(2 + ((buf[0] << 8) | buf[1]))) {
    const chunk = await conn.readChunk();
    if (chunk === null) throw new Error("connection closed before the whole response");
    const next = new Uint8Array(buf.length + chunk.length);
    next.set(buf);
    next.set(chunk, buf.length);
    buf = next;
  }
  return buf.subarray(2, 2 + ((buf[0] << 8) | buf[1]));
}

async function overTcp(
  adapter: NetAdapter,
  o: DnsExchangeOptions,
  signal: AbortSignal,
  mark: () => void,
): Promise<DnsMessage> {
  const conn = await adapter.connect({
    transport: "tcp",
    hostname: o.address,
    port: o.port,
    timeoutMs: o.timeoutMs,
    signal,
  });
  const close = () => conn.close();
  signal.addEventListener("abort", close, { once: true });
  try {
    mark();
    const framed = new Uint8Array(o.query.length + 2);
    framed[0] = o.query.length >> 8;
    framed[1] = o.query.length & 0xff;
    framed.set(o.query, 2);
    await conn.write(framed);
    return decodeMessage(await readFramed(conn));
  } finally {
    signal.removeEventListener("abort", close);
    conn.close();
  }
}

/** Makes the exchange (see the module); never rejects. */
export async function dnsExchange(
  adapter: NetAdapter,
  options: DnsExchangeOptions,
): Promise<DnsExchangeResult> {
  const started = performance.now();
  let connectedAt = 0;
  const mark = () => (connectedAt = performance.now());
  const timeout = AbortSignal.timeout(Math.max(1, options.timeoutMs));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const run = options.transport === "udp" ? overUdp : overTcp;
    const response = await run(adapter, options, signal, mark);
    const end = performance.now();
    return { response, connectMs: connectedAt - started, requestMs: end - connectedAt };
  } catch (error) {
    const why = timeout.aborted ? "i/o timeout" : (error as Error)?.message ?? String(error);
    return { error: why, connectMs: performance.now() - started, requestMs: 0 };
  }
}

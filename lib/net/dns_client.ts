/**
 * A DNS stub client over netdiag's socket adapter: DNS messages (lib/core/dns_message.ts) sent
 * over UDP (one socket per server, retransmitted twice), retried over TCP when the answer is
 * truncated. It sees the server's real response code, so NXDOMAIN, NODATA, SERVFAIL, REFUSED and
 * a timeout stay apart on every runtime, and it asks the server every question (no local answers
 * for 127.x or *.localhost).
 *
 * Servers may be hostile. A reply is accepted only from the server's address and port (Deno's
 * UDP sockets are unconnected, so any host could send one), over UDP and TCP alike only with
 * the query's id, the response bit and the same question (name in any letter case, type, class
 * IN; a FORMERR without a question is accepted too, as a server that could not parse the query
 * may not echo it). Anything else is ignored, and the query waits on until its deadline. A
 * matching reply that does not decode is MALFORMED; records of classes other than IN are
 * dropped, for they answer no question netdiag asks.
 * @module
 */
import {
  decodeHead,
  decodeMessage,
  DNS_FLAGS,
  DnsFormatError,
  type DnsHead,
  type DnsMessage,
  type DnsQuestion,
  encodeQuery,
} from "../core/dns_message.ts";
import {
  type DnsRecord,
  type DnsStatus,
  responseStatus,
  toDnsRecord,
  type WireRecord,
} from "../core/dns_records.ts";
import type { DnsExchange, DnsHeaderFlags, DnsTransport } from "../core/dns_exchange.ts";
import {
  type DnsServer,
  formatDnsServer,
  type ServerAddress,
  serverAddress,
} from "../core/dns_server.ts";
import { parseIpLiteral, sameName } from "../core/dns_name.ts";
import { quote } from "../core/errors.ts";
import { netAdapter } from "./adapter.ts";
import {
  type Connection,
  type DatagramSocket,
  describeNetErrorCode,
  type Endpoint,
  type NetAdapter,
  NetError,
} from "./types.ts";

/** Options of {@link DnsClient.open}. */
export interface DnsClientOptions {
  /** Per-query time limit in milliseconds; default 5 000. */
  readonly timeoutMs?: number;
  /** Ask over TCP only; default false (UDP, TCP when truncated). */
  readonly tcp?: boolean;
  /** The socket adapter; default the runtime's. */
  readonly adapter?: NetAdapter;
}

interface Pending {
  /** The question as the query carries it, to match replies on. */
  readonly question: DnsQuestion;
  readonly message: Uint8Array;
  readonly deadline: number;
  /** When to send again (two retransmissions, at a third and two thirds of the time limit). */
  nextSend: number;
  readonly interval: number;
  readonly done: (response: DnsMessage | Error) => void;
}

/** How often the pending queries are checked for retransmission and timeout. */
const TICK_MS = 20;

function flagsOf(m: DnsMessage): DnsHeaderFlags {
  const f = m.flags;
  return {
    aa: (f & DNS_FLAGS.AA) !== 0,
    tc: (f & DNS_FLAGS.TC) !== 0,
    rd: (f & DNS_FLAGS.RD) !== 0,
    ra: (f & DNS_FLAGS.RA) !== 0,
    ad: (f & DNS_FLAGS.AD) !== 0,
    cd: (f & DNS_FLAGS.CD) !== 0,
  };
}

/** The records that can answer a class IN question (OPT and other classes dropped). */
const records = (list: readonly WireRecord[]): DnsRecord[] =>
  list.filter((r) => r.type !== "OPT" && r.class === "IN").map(toDnsRecord);

/** A reply that matched its query but does not decode. */
class MalformedReplyError extends Error {
  /** Creates the error; the message says what is wrong with the reply. */
  constructor(message: string) {
    super(message);
    this.name = "MalformedReplyError";
  }
}

/** The question of a query this client encoded. */
const questionOf = (query: Uint8Array): DnsQuestion => decodeHead(query).questions[0];

/**
 * Whether `head` answers the query with `id` and `question`: the id, the response bit, opcode
 * QUERY and the same question (name in any letter case); or a FORMERR without a question.
 */
export function replyMatches(head: DnsHead, id: number, question: DnsQuestion): boolean {
  if (head.id !== id || !(head.flags & DNS_FLAGS.QR) || (head.flags & 0x7800) !== 0) return false;
  if (head.questions.length === 0) return (head.flags & 0xf) === 1;
  if (head.questions.length !== 1) return false;
  const q = head.questions[0];
  return q.type === question.type && q.class === question.class && sameName(q.name, question.name);
}

/** Whether a datagram came from `server` (its address, IPv4-mapped or not, and its port). */
function fromServer(from: Endpoint, server: Endpoint): boolean {
  if (from.port !== server.port) return false;
  const key = (host: string) => {
    const ip = parseIpLiteral(host.replace(/%.*$/, ""));
    if (!ip) return host.toLowerCase();
    const mapped = ip.family === 6 && ip.bytes.subarray(0, 10).every((b) => b === 0) &&
      ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
    return mapped ? [...ip.bytes.subarray(12)].join(".") : ip.text;
  };
  return key(from.hostname) === key(server.hostname);
}

/** A client for one DNS server; queries may run concurrently. Close it when done. */
export class DnsClient {
  readonly server: DnsServer;
  readonly #label: string;
  readonly #address: ServerAddress;
  readonly #adapter: NetAdapter;
  readonly #timeoutMs: number;
  readonly #tcpOnly: boolean;
  readonly #pending = new Map<number, Pending>();
  #socket: Promise<DatagramSocket> | undefined;
  #bound: DatagramSocket | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  private constructor(server: DnsServer, adapter: NetAdapter, options: DnsClientOptions) {
    this.server = server;
    this.#label = formatDnsServer(server);
    this.#address = serverAddress(server);
    this.#adapter = adapter;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#tcpOnly = options.tcp ?? false;
  }

  /** Creates a client for `server` (the UDP socket is bound on the first query). */
  static async open(server: DnsServer, options: DnsClientOptions = {}): Promise<DnsClient> {
    return new DnsClient(server, options.adapter ?? await netAdapter(), options);
  }

  /**
   * Asks for `type` records of `name`; never rejects (failures come back as a status). An abort
   * of `signal` ends the query at once as ERROR ("aborted").
   */
  async query(name: string, type: string, signal?: AbortSignal): Promise<DnsExchange> {
    const started = performance.now();
    const deadline = started + this.#timeoutMs;
    const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
    const base = { name, recordType: type, server: this.#address };
    const fail = (error: Error, transport: DnsTransport): DnsExchange => {
      const [status, reason] = this.#failure(error, transport);
      return {
        ...base,
        transport,
        status,
        answers: [],
        authority: [],
        timeMs: elapsed(),
        reason,
      };
    };
    const answer = (m: DnsMessage, transport: DnsTransport): DnsExchange => {
      const answers = records(m.answers);
      return {
        ...base,
        transport,
        status: responseStatus(m.rcode, answers, type),
        rcode: m.rcode,
        flags: flagsOf(m),
        answers,
        authority: records(m.authorities),
        timeMs: elapsed(),
      };
    };
    try {
      encodeQuery(0, name, type);
    } catch (error) {
      return fail(new Error(`cannot ask for ${quote(name)}: ${(error as Error).message}`), "udp");
    }
    if (signal?.aborted) return fail(new NetError("ABORTED", "receive", this.#label), "udp");
    if (!this.#tcpOnly) {
      const udp = await this.#queryUdp(name, type, started, deadline, signal);
      if (udp instanceof Error) return fail(udp, "udp");
      if (udp !== "truncated") return answer(udp, "udp");
    }
    const tcp = await this.#queryTcp(name, type, deadline, signal);
    return tcp instanceof Error ? fail(tcp, "tcp") : answer(tcp, "tcp");
  }

  /** Closes the socket; queries still waiting end as errors. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failAll(new NetError("CLOSED", "receive", this.#label));
    this.#socket?.then((s) => s.close(), () => {});
  }

  #failAll(error: Error): void {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of all) p.done(error);
    this.#stopTicker();
  }

  #stopTicker(): void {
    if (this.#ticker !== undefined && this.#pending.size === 0) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #failure(error: Error, transport: DnsTransport): [DnsStatus, string] {
    if (error instanceof MalformedReplyError) return ["MALFORMED", error.message];
    if (error instanceof NetError) {
      if (error.code === "ABORTED") return ["ERROR", "aborted"];
      if (error.code === "ETIMEDOUT") {
        return [
          "TIMEOUT",
          transport === "udp"
            ? `no answer within ${this.#timeoutMs} ms`
            : `timed out after ${this.#timeoutMs} ms waiting for the answer over TCP`,
        ];
      }
      if (error.code === "ECONNREFUSED") return ["UNREACHABLE", "port unreachable"];
      if (error.code === "EHOSTUNREACH" || error.code === "ENETUNREACH") {
        return ["UNREACHABLE", describeNetErrorCode(error.code)];
      }
    }
    return ["ERROR", error.message];
  }

  #bind(): Promise<DatagramSocket> {
    this.#socket ??= this.#adapter.bindDatagram({
      hostname: this.server.hostname.includes(":") ? "::" : "0.0.0.0",
      port: 0,
      connect: { hostname: this.server.hostname, port: this.server.port },
    }).then((socket) => {
      this.#bound = socket;
      void this.#receiveLoop(socket);
      return socket;
    });
    return this.#socket;
  }

  async #receiveLoop(socket: DatagramSocket): Promise<void> {
    while (!this.#closed) {
      let datagram;
      try {
        datagram = await socket.receive();
      } catch (error) {
        if (this.#closed || (error instanceof NetError && error.code === "CLOSED")) return;
        // An ICMP error (Bun reports port unreachable on a connected socket) ends every query.
        this.#failAll(error as Error);
        continue;
      }
      // Deno's UDP socket is not connected: anyone may send to it.
      if (!fromServer(datagram.from, this.server)) continue;
      const matched = this.#match(datagram.data);
      if (!matched) continue;
      this.#pending.delete(matched.id);
      this.#stopTicker();
      matched.pending.done(matched.reply);
    }
  }

  /** The query a datagram answers and the reply it makes; undefined when it answers none. */
  #match(
    data: Uint8Array,
  ): { id: number; pending: Pending; reply: DnsMessage | Error } | undefined {
    let head: DnsHead;
    try {
      head = decodeHead(data);
    } catch {
      return undefined; // not even a header and question: not a reply to anything
    }
    const pending = this.#pending.get(head.id);
    if (!pending || !replyMatches(head, head.id, pending.question)) return undefined;
    return { id: head.id, pending, reply: decodeReply(data, head) };
  }

  #tick = (): void => {
    const now = performance.now();
    for (const [id, p] of this.#pending) {
      if (now >= p.deadline) {
        this.#pending.delete(id);
        p.done(new NetError("ETIMEDOUT", "receive", this.#label));
      } else if (now >= p.nextSend) {
        p.nextSend += p.interval;
        this.#send(id, p);
      }
    }
    this.#stopTicker();
  };

  #send(id: number, p: Pending): void {
    this.#bound!.send(p.message).catch((error) => {
      if (this.#pending.get(id) === p) {
        this.#pending.delete(id);
        this.#stopTicker();
        p.done(error);
      }
    });
  }

  #newId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 0x10000);
      if (!this.#pending.has(id)) return id;
    }
  }

  async #queryUdp(
    name: string,
    type: string,
    started: number,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<DnsMessage | "truncated" | Error> {
    if (!this.#bound) {
      try {
        await this.#bind();
      } catch (error) {
        return error as Error;
      }
    }
    if (this.#closed) return new NetError("CLOSED", "send", this.#label);
    if (signal?.aborted) return new NetError("ABORTED", "receive", this.#label);
    const id = this.#newId();
    const interval = (deadline - started) / 3;
    const message = encodeQuery(id, name, type);
    let onAbort: (() => void) | undefined;
    const response = await new Promise<DnsMessage | Error>((done) => {
      const pending: Pending = {
        question: questionOf(message),
        message,
        deadline,
        nextSend: started + interval,
        interval,
        done,
      };
      this.#pending.set(id, pending);
      this.#ticker ??= setInterval(this.#tick, TICK_MS);
      onAbort = () => {
        if (this.#pending.get(id) !== pending) return;
        this.#pending.delete(id);
        this.#stopTicker();
        done(new NetError("ABORTED", "receive", this.#label));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#send(id, pending);
    });
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    if (response instanceof Error) return response;
    return response.flags & DNS_FLAGS.TC ? "truncated" : response;
  }

  async #queryTcp(
    name: string,
    type: string,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<DnsMessage | Error> {
    if (signal?.aborted) return new NetError("ABORTED", "connect", this.#label);
    const remaining = Math.max(1, deadline - performance.now());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), remaining);
    const onCallerAbort = () => controller.abort();
    signal?.addEventListener("abort", onCallerAbort, { once: true });
    // A cut-short wait is the caller's abort, or else the deadline.
    const cut = (operation: "connect" | "read") =>
      new NetError(signal?.aborted ? "ABORTED" : "ETIMEDOUT", operation, this.#label);
    let conn;
    try {
      conn = await this.#adapter.connect({
        transport: "tcp",
        hostname: this.server.hostname,
        port: this.server.port,
        timeoutMs: remaining,
        signal: controller.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onCallerAbort);
      if (error instanceof NetError && error.code === "ABORTED") return cut("connect");
      return error as Error;
    }
    const onAbort = () => conn.close();
    controller.signal.addEventListener("abort", onAbort, { once: true });
    try {
      const reply = await this.#exchangeTcp(conn, name, type);
      // A read cut short by the deadline ends as a close or an error: either is the timeout.
      if (controller.signal.aborted) return cut("read");
      return reply;
    } catch (error) {
      if (controller.signal.aborted) return cut("read");
      return error as Error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onCallerAbort);
      controller.signal.removeEventListener("abort", onAbort);
      conn.close();
    }
  }

  /** Sends the query over `conn` and reads replies until one matches it (or the stream ends). */
  async #exchangeTcp(conn: Connection, name: string, type: string): Promise<DnsMessage | Error> {
    const id = this.#newId();
    const query = encodeQuery(id, name, type, { ednsPayload: 0 });
    const question = questionOf(query);
    const framed = new Uint8Array(query.length + 2);
    new DataView(framed.buffer).setUint16(0, query.length);
    framed.set(query, 2);
    await conn.write(framed);
    for (;;) {
      const data = await readFrame(conn);
      if (data === null) return new Error("the server closed the TCP connection before answering");
      let head: DnsHead;
      try {
        head = decodeHead(data);
      } catch {
        continue; // not a reply to anything: wait for the next one, as glibc does
      }
      if (!replyMatches(head, id, question)) continue;
      return decodeReply(data, head);
    }
  }
}

/**
 * Decodes a reply that matched its query. One that does not decode is a MalformedReplyError,
 * unless it is truncated (TC): its header is enough to go on over TCP.
 */
function decodeReply(data: Uint8Array, head: DnsHead): DnsMessage | Error {
  try {
    return decodeMessage(data);
  } catch (error) {
    if (!(error instanceof DnsFormatError)) throw error;
    if (head.flags & DNS_FLAGS.TC) {
      return { ...head, rcode: "NOERROR", answers: [], authorities: [], additionals: [] };
    }
    return new MalformedReplyError(error.message);
  }
}

/**
 * Reads one DNS-over-TCP message (2-octet length, then that many octets) into a buffer of its
 * size; null when the stream ends first.
 */
async function readFrame(conn: Connection): Promise<Uint8Array | null> {
  const length = new Uint8Array(2);
  if (!await readFully(conn, length)) return null;
  const message = new Uint8Array((length[0] << 8) | length[1]);
  return await readFully(conn, message) ? message : null;
}

async function readFully(conn: Connection, out: Uint8Array): Promise<boolean> {
  for (let have = 0; have < out.length;) {
    const n = await conn.read(out.subarray(have));
    if (n === null) return false;
    have += n;
  }
  return true;
}

/**
 * A DNS stub client over netdiag's socket adapter: DNS messages (lib/core/dns_message.ts) sent
 * over UDP (one socket per server, retransmitted twice), retried over TCP when the answer is
 * truncated. A batch shares everything per client: one socket, one receive loop that matches each
 * reply to its query by id and question, and one deadline sweep (lib/net/deadline_sweep.ts) for
 * every query's retransmissions and timeout, so a query costs no timer and no socket of its own. It sees the server's real response code, so NXDOMAIN, NODATA, SERVFAIL, REFUSED and
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
import { DeadlineSweep, type Expiring } from "./deadline_sweep.ts";
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
  /**
   * Aborting it ends every query of the client at once as ERROR ("aborted"), as a query's own
   * signal does; a batch passes one signal here instead of one per query. Default none.
   */
  readonly signal?: AbortSignal;
}

/**
 * A UDP query waiting for its reply. It sits in the client's deadline sweep until its next
 * retransmission (two, at a third and two thirds of the time limit), then until its deadline.
 */
interface Pending extends Expiring {
  readonly id: number;
  /** The query as sent (its id set). */
  readonly message: Uint8Array;
  /** Where its question section ends in `message` (it starts at octet 12). */
  readonly questionEnd: number;
  /** The query's time limit (`performance.now()` time). */
  readonly limit: number;
  /** When the sweep next wakes it: the next retransmission, or the limit. */
  deadline: number;
  readonly interval: number;
  readonly done: (response: DnsMessage | Error) => void;
}

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
function records(list: readonly WireRecord[]): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const r of list) if (r.type !== "OPT" && r.class === "IN") out.push(toDnsRecord(r));
  return out;
}

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

/** Where the question section of a query this client encoded ends (one uncompressed name). */
function questionEndOf(query: Uint8Array): number {
  let off = 12;
  while (query[off] !== 0) off += query[off] + 1;
  return off + 5; // the root label, type and class
}

/**
 * Whether `data` carries the header and question of a reply to `p` octet for octet, the name's
 * ASCII letters in any case: the cheap test a reply to a query this client sent nearly always
 * passes. A reply that fails it may still match (another spelling of the same question), so the
 * caller then decodes its head and asks {@link replyMatches}; one that passes matches for sure.
 */
function sameQuestionOctets(data: Uint8Array, p: Pending): boolean {
  const q = p.message;
  // response bit set, opcode QUERY, exactly one question
  if (data.length < p.questionEnd || !(data[2] & 0x80) || (data[2] & 0x78) !== 0) return false;
  if (data[4] !== 0 || data[5] !== 1) return false;
  const nameEnd = p.questionEnd - 4;
  for (let i = 12; i < p.questionEnd; i++) {
    const a = data[i], b = q[i];
    if (a === b) continue;
    // letters of the name only: a label's length octet (<= 63) is never a letter
    if (i >= nameEnd || (a | 0x20) !== (b | 0x20) || (a | 0x20) < 0x61 || (a | 0x20) > 0x7a) {
      return false;
    }
  }
  return true;
}

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
  if (from.hostname === server.hostname) return true;
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
  /** Every pending UDP query's next retransmission or deadline, behind one timer. */
  readonly #sweep = new DeadlineSweep();
  readonly #signal: AbortSignal | undefined;
  #socket: Promise<DatagramSocket> | undefined;
  #bound: DatagramSocket | undefined;
  #closed = false;

  private constructor(server: DnsServer, adapter: NetAdapter, options: DnsClientOptions) {
    this.server = server;
    this.#label = formatDnsServer(server);
    this.#address = serverAddress(server);
    this.#adapter = adapter;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#tcpOnly = options.tcp ?? false;
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", this.#abortAll, { once: true });
  }

  /** Creates a client for `server` (the UDP socket is bound on the first query). */
  static async open(server: DnsServer, options: DnsClientOptions = {}): Promise<DnsClient> {
    return new DnsClient(server, options.adapter ?? await netAdapter(), options);
  }

  /**
   * Asks for `type` records of `name`; never rejects (failures come back as a status). An abort
   * of `signal` ends the query at once as ERROR ("aborted").
   */
  async query(
    name: string,
    type: string,
    signal: AbortSignal | undefined = this.#signal,
  ): Promise<DnsExchange> {
    const started = performance.now();
    const deadline = started + this.#timeoutMs;
    const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
    const server = this.#address;
    const fail = (error: Error, transport: DnsTransport): DnsExchange => {
      const [status, reason] = this.#failure(error, transport);
      return {
        name,
        recordType: type,
        server,
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
        name,
        recordType: type,
        server,
        transport,
        status: responseStatus(m.rcode, answers, type),
        rcode: m.rcode,
        flags: flagsOf(m),
        answers,
        authority: records(m.authorities),
        timeMs: elapsed(),
      };
    };
    let message: Uint8Array;
    try {
      message = encodeQuery(0, name, type);
    } catch (error) {
      return fail(new Error(`cannot ask for ${quote(name)}: ${(error as Error).message}`), "udp");
    }
    if (signal?.aborted) return fail(new NetError("ABORTED", "receive", this.#label), "udp");
    if (!this.#tcpOnly) {
      const udp = await this.#queryUdp(message, started, deadline, signal);
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
    this.#signal?.removeEventListener("abort", this.#abortAll);
    this.#failAll(new NetError("CLOSED", "receive", this.#label));
    this.#socket?.then((s) => s.close(), () => {});
  }

  /** The client's signal aborted: every UDP query waiting ends as aborted. */
  #abortAll = (): void => this.#failAll(new NetError("ABORTED", "receive", this.#label));

  #failAll(error: Error): void {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of all) {
      this.#sweep.delete(p);
      p.done(error);
    }
  }

  /** Takes `p` off the pending queries (it settled) and hands it `outcome`. */
  #settle(p: Pending, outcome: DnsMessage | Error): void {
    this.#pending.delete(p.id);
    this.#sweep.delete(p);
    p.done(outcome);
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
      const data = datagram.data;
      if (data.length < 12) continue; // not even a header: not a reply to anything
      const pending = this.#pending.get((data[0] << 8) | data[1]);
      if (!pending) continue;
      const reply = this.#match(data, pending);
      if (reply) this.#settle(pending, reply);
    }
  }

  /**
   * The reply a datagram with `pending`'s id makes, when it answers its question: decoded once
   * when its question is octet for octet the one sent (nearly always), otherwise matched on its
   * decoded head first; undefined when it answers nothing.
   */
  #match(data: Uint8Array, pending: Pending): DnsMessage | Error | undefined {
    if (sameQuestionOctets(data, pending)) {
      try {
        return decodeMessage(data);
      } catch (error) {
        if (!(error instanceof DnsFormatError)) throw error;
        // malformed past the question: decodeReply below tells TC from MALFORMED
      }
    }
    let head: DnsHead;
    try {
      head = decodeHead(data);
    } catch {
      return undefined; // not even a header and question: not a reply to anything
    }
    if (!replyMatches(head, pending.id, questionOf(pending.message))) return undefined;
    return decodeReply(data, head);
  }

  /** The sweep woke `p`: it timed out, or it is time to send it again. */
  #wake(p: Pending): void {
    if (this.#pending.get(p.id) !== p) return;
    if (p.deadline >= p.limit) {
      this.#pending.delete(p.id);
      p.done(new NetError("ETIMEDOUT", "receive", this.#label));
      return;
    }
    const next = p.deadline + p.interval;
    // the last retransmission waits for the limit itself (no third one from rounding)
    p.deadline = next >= p.limit - 0.5 ? p.limit : next;
    this.#sweep.add(p);
    this.#send(p);
  }

  #send(p: Pending): void {
    // Batched where the socket can: the queries a turn starts reach the server as one burst.
    const socket = this.#bound!;
    (socket.sendBatched ? socket.sendBatched(p.message) : socket.send(p.message)).catch((error) => {
      if (this.#pending.get(p.id) === p) this.#settle(p, error);
    });
  }

  #newId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 0x10000);
      if (!this.#pending.has(id)) return id;
    }
  }

  async #queryUdp(
    message: Uint8Array,
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
    message[0] = id >> 8;
    message[1] = id & 0xff;
    const interval = (deadline - started) / 3;
    // The client's own signal ends every query through #abortAll: no listener per query.
    const own = signal !== undefined && signal !== this.#signal;
    let onAbort: (() => void) | undefined;
    const response = await new Promise<DnsMessage | Error>((done) => {
      const pending: Pending = {
        id,
        message,
        questionEnd: questionEndOf(message),
        limit: deadline,
        deadline: started + interval,
        interval,
        done,
        expire: () => this.#wake(pending),
      };
      this.#pending.set(id, pending);
      this.#sweep.add(pending);
      if (own) {
        onAbort = () => {
          if (this.#pending.get(id) === pending) {
            this.#settle(pending, new NetError("ABORTED", "receive", this.#label));
          }
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }
      this.#send(pending);
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

/**
 * A DNS stub client over netdiag's socket adapter: DNS messages (lib/core/dns_message.ts) sent
 * over UDP (one socket per server, queries matched by id and question, retransmitted twice),
 * retried over TCP when the answer is truncated. It sees the server's real response code, so
 * NXDOMAIN, NODATA, SERVFAIL, REFUSED and a timeout stay apart on every runtime, and it asks
 * the server every question (no local answers for 127.x or *.localhost).
 * @module
 */
import {
  decodeMessage,
  DNS_FLAGS,
  type DnsMessage,
  encodeQuery,
  messageId,
} from "../core/dns_message.ts";
import {
  type DnsRecord,
  type DnsStatus,
  responseStatus,
  toDnsRecord,
  type WireRecord,
} from "../core/dns_records.ts";
import { type DnsServer, formatDnsServer } from "../core/dns_server.ts";
import { sameName } from "../core/dns_name.ts";
import { concatBytes } from "../core/bytes.ts";
import { netAdapter } from "./adapter.ts";
import { type DatagramSocket, describeNetErrorCode, type NetAdapter, NetError } from "./types.ts";

/** The header flags of a response. */
export interface DnsFlags {
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
}

/** One query and how it ended. */
export interface DnsExchange {
  /** The name asked for (without trailing dot). */
  readonly name: string;
  /** The type asked for. */
  readonly type: string;
  /** The server, `127.0.0.1:53`. */
  readonly server: string;
  /** The transport of the final answer. */
  readonly transport: "udp" | "tcp";
  /** The outcome; NODATA when NOERROR carried no record of the type. */
  readonly status: DnsStatus;
  /** The server's response code, when there was a response. */
  readonly rcode?: string;
  /** The response's header flags, when there was a response. */
  readonly flags?: DnsFlags;
  readonly answers: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  /** Milliseconds from the first send to the answer (or the give-up). */
  readonly timeMs: number;
  /** What went wrong, for TIMEOUT, UNREACHABLE and ERROR. */
  readonly error?: string;
}

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
  readonly name: string;
  readonly type: string;
  readonly message: Uint8Array;
  readonly deadline: number;
  /** When to send again (two retransmissions, at a third and two thirds of the time limit). */
  nextSend: number;
  readonly interval: number;
  readonly done: (response: DnsMessage | Error) => void;
}

/** How often the pending queries are checked for retransmission and timeout. */
const TICK_MS = 20;

function flagsOf(m: DnsMessage): DnsFlags {
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

const records = (list: readonly WireRecord[]): DnsRecord[] =>
  list.filter((r) => r.type !== "OPT").map(toDnsRecord);

/** A client for one DNS server; queries may run concurrently. Close it when done. */
export class DnsClient {
  readonly server: DnsServer;
  readonly #label: string;
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
    this.#adapter = adapter;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#tcpOnly = options.tcp ?? false;
  }

  /** Creates a client for `server` (the UDP socket is bound on the first query). */
  static async open(server: DnsServer, options: DnsClientOptions = {}): Promise<DnsClient> {
    return new DnsClient(server, options.adapter ?? await netAdapter(), options);
  }

  /** Asks for `type` records of `name`; never rejects (failures come back as a status). */
  async query(name: string, type: string): Promise<DnsExchange> {
    const started = performance.now();
    const deadline = started + this.#timeoutMs;
    const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
    const fail = (error: Error, transport: "udp" | "tcp"): DnsExchange => {
      const [status, text] = this.#failure(error);
      return {
        name,
        type,
        server: this.#label,
        transport,
        status,
        answers: [],
        authority: [],
        timeMs: elapsed(),
        error: text,
      };
    };
    const answer = (m: DnsMessage, transport: "udp" | "tcp"): DnsExchange => {
      const answers = records(m.answers);
      return {
        name,
        type,
        server: this.#label,
        transport,
        status: responseStatus(m.rcode, answers, type),
        rcode: m.rcode,
        flags: flagsOf(m),
        answers,
        authority: records(m.authorities),
        timeMs: elapsed(),
      };
    };
    if (!this.#tcpOnly) {
      const udp = await this.#queryUdp(name, type, started, deadline);
      if (udp instanceof Error) return fail(udp, "udp");
      if (udp !== "truncated") return answer(udp, "udp");
    }
    const tcp = await this.#queryTcp(name, type, deadline);
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

  #failure(error: Error): [DnsStatus, string] {
    if (error instanceof NetError) {
      if (error.code === "ETIMEDOUT") return ["TIMEOUT", `no answer within ${this.#timeoutMs} ms`];
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
      const id = messageId(datagram.data);
      const pending = id === undefined ? undefined : this.#pending.get(id);
      if (!pending || datagram.data.length < 12 || !(datagram.data[2] & 0x80)) continue;
      let message: DnsMessage;
      try {
        message = decodeMessage(datagram.data);
      } catch {
        // A truncated answer may not decode to the end; its header is enough to go to TCP.
        if (datagram.data[2] & 0x02) message = truncatedHeader(datagram.data);
        else continue; // not a DNS message: ignore it, as stub resolvers do
      }
      const question = message.questions[0];
      if (question && (!sameName(question.name, pending.name) || question.type !== pending.type)) {
        continue;
      }
      this.#pending.delete(id!);
      this.#stopTicker();
      pending.done(message);
    }
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
  ): Promise<DnsMessage | "truncated" | Error> {
    if (!this.#bound) {
      try {
        await this.#bind();
      } catch (error) {
        return error as Error;
      }
    }
    if (this.#closed) return new NetError("CLOSED", "send", this.#label);
    const id = this.#newId();
    const interval = (deadline - started) / 3;
    const response = await new Promise<DnsMessage | Error>((done) => {
      const pending: Pending = {
        name,
        type,
        message: encodeQuery(id, name, type),
        deadline,
        nextSend: started + interval,
        interval,
        done,
      };
      this.#pending.set(id, pending);
      this.#ticker ??= setInterval(this.#tick, TICK_MS);
      this.#send(id, pending);
    });
    if (response instanceof Error) return response;
    return response.flags & DNS_FLAGS.TC ? "truncated" : response;
  }

  async #queryTcp(name: string, type: string, deadline: number): Promise<DnsMessage | Error> {
    const remaining = Math.max(1, deadline - performance.now());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), remaining);
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
      if (error instanceof NetError && error.code === "ABORTED") {
        return new NetError("ETIMEDOUT", "connect", this.#label);
      }
      return error as Error;
    }
    const onAbort = () => conn.close();
    controller.signal.addEventListener("abort", onAbort, { once: true });
    try {
      const query = encodeQuery(this.#newId(), name, type, { ednsPayload: 0 });
      const framed = new Uint8Array(query.length + 2);
      new DataView(framed.buffer).setUint16(0, query.length);
      framed.set(query, 2);
      await conn.write(framed);
      const chunks: Uint8Array[] = [];
      let have = 0;
      const buffer = new Uint8Array(65537);
      for (;;) {
        if (have >= 2) {
          const all = concatBytes(chunks);
          chunks.splice(0, chunks.length, all);
          const want = 2 + ((all[0] << 8) | all[1]);
          if (have >= want) return decodeMessage(all.subarray(2, want));
        }
        const n = await conn.read(buffer);
        if (n === null) return new Error("the server closed the TCP connection early");
        chunks.push(buffer.slice(0, n));
        have += n;
      }
    } catch (error) {
      if (controller.signal.aborted) return new NetError("ETIMEDOUT", "read", this.#label);
      return error as Error;
    } finally {
      clearTimeout(timer);
      controller.signal.removeEventListener("abort", onAbort);
      conn.close();
    }
  }
}

/** The header of a truncated answer that does not decode to the end. */
function truncatedHeader(bytes: Uint8Array): DnsMessage {
  return {
    id: (bytes[0] << 8) | bytes[1],
    flags: (bytes[2] << 8) | bytes[3],
    rcode: "NOERROR",
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/**
 * A scripted hostile DNS server for tests, on 127.0.0.1 (UDP and TCP on the same port): it
 * answers each query the way the first label of the asked name says, from an honest answer to
 * forged replies from another port, compression bombs, malformed record data and servers that
 * never answer over TCP. Names whose first label is no behaviour get an honest answer, so
 * reverse lookups (`…ip6.arpa`) get the PTR {@link HONEST_PTR}.
 *
 * Messages are written byte by byte here (not with lib/core/dns_message.ts, the code under
 * test), so a reply can be as wrong as a test needs it.
 */
import { Buffer } from "node:buffer";
import dnsPacket from "dns-packet";
import { inetPton4, inetPton6 } from "../../lib/core/inet_pton.ts";
import {
  type Connection,
  type DatagramSocket,
  type Endpoint,
  type Listener,
  netAdapter,
} from "../../lib/net/mod.ts";

/** What the server does, by the first label of the asked name. */
export const HOSTILE_BEHAVIOURS = {
  "answer": "an honest answer (A, AAAA, PTR, MX, TXT)",
  "spoof-port": "a forged answer from another port, then the honest answer",
  "spoof-only": "only a forged answer, from another port",
  "wrong-id": "a forged answer with another id, then the honest answer",
  "wrong-question": "a forged answer to another name, then the honest answer",
  "wrong-type": "a forged answer to another type, then the honest answer",
  "wrong-class": "a forged answer to class CH, then the honest answer",
  "no-question": "a forged answer without a question section, then the honest answer",
  "formerr-bare": "FORMERR without a question section (as a server that cannot parse a query)",
  "mixed-case": "an honest answer whose question is in other letter case",
  "bomb": "64 KB: a 32 KB name and 2,000 records pointing at it",
  "bomb-wide": "64 KB: a 250-octet name and 4,000 records pointing at it",
  "short-a": "an A record with 3 octets of data",
  "long-a": "an A record with 5 octets of data",
  "short-aaaa": "an AAAA record with 4 octets of data",
  "short-mx": "an MX record with 1 octet of data",
  "ch-class": "an A record of class CH",
  "badvers": "NOERROR in the header, extended rcode 1 (BADVERS) in the OPT record",
  "rcode": "`rcodeN`: response code N (above 15 through the OPT record)",
  "terminal": "records carrying terminal escape sequences (CAA tag, TXT, error text)",
  "tcp-silent": "truncated over UDP; over TCP, reads the query and never answers",
  "tcp-wrong-id": "truncated over UDP; over TCP, a forged answer with another id, then honest",
  "tcp-wrong-question":
    "truncated over UDP; over TCP, a forged answer to another name, then honest",
} as const;

/** One of {@link HOSTILE_BEHAVIOURS}. */
export type HostileBehaviour = keyof typeof HOSTILE_BEHAVIOURS;

/** The address of every honest A answer. */
export const HONEST_A = "192.0.2.1";
/** The address of every honest AAAA answer. */
export const HONEST_AAAA = "2001:db8::1";
/** The name of every honest PTR answer. */
export const HONEST_PTR = "host.test";
/** The address of every forged A answer (which must never be accepted). */
export const FORGED_A = "203.0.113.66";
/** The address of the class CH A record of `ch-class`. */
export const CHAOS_A = "198.51.100.7";
/** How long after a forged reply the honest one is sent. */
export const HONEST_DELAY_MS = 60;

/** A running hostile server. */
export interface HostileDns {
  /** `127.0.0.1:PORT`, for `--server`. */
  readonly server: string;
  /** The same as an endpoint, for DnsClient and NameService. */
  readonly endpoint: Endpoint;
  /** The queries received so far, in order. */
  readonly queries: readonly { transport: "udp" | "tcp"; name: string; type: string }[];
  /** Stops the server and drops its connections. */
  close(): void;
}

const TYPES: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  CAA: 257,
};
const CLASS_IN = 1;
const CLASS_CH = 3;
const QR_RD_RA = 0x8000 | 0x0100 | 0x0080;
const TC = 0x0200;

/** A question as written in a reply. */
interface RawQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

/** A record as written in a reply: `name` is text, or raw wire bytes (for pointers). */
interface RawRecord {
  readonly name: string | Uint8Array;
  readonly type: number;
  readonly class?: number;
  readonly ttl?: number;
  readonly data: Uint8Array;
}

/** A reply as written: header fields, sections. */
interface RawReply {
  readonly id: number;
  readonly flags?: number;
  readonly rcode?: number;
  readonly questions: readonly RawQuestion[];
  readonly answers?: readonly RawRecord[];
  readonly additionals?: readonly RawRecord[];
}

/** The wire form of a name given as text (no compression); "." is the root. */
export function wireName(name: string): Uint8Array {
  const labels = name === "." ? [] : name.replace(/\.$/, "").split(".");
  const parts = labels.map((l) => new TextEncoder().encode(l));
  const out = new Uint8Array(parts.reduce((n, p) => n + 1 + p.length, 1));
  let off = 0;
  for (const p of parts) {
    out[off++] = p.length;
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Writes a reply byte by byte, exactly as given (counts from the sections). */
export function encodeRaw(reply: RawReply): Uint8Array {
  const chunks: Uint8Array[] = [];
  const u16 = (v: number) => new Uint8Array([(v >> 8) & 0xff, v & 0xff]);
  const u32 = (v: number) =>
    new Uint8Array([v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
  const answers = reply.answers ?? [];
  const additionals = reply.additionals ?? [];
  chunks.push(u16(reply.id), u16((reply.flags ?? QR_RD_RA) | (reply.rcode ?? 0)));
  chunks.push(u16(reply.questions.length), u16(answers.length), u16(0), u16(additionals.length));
  for (const q of reply.questions) chunks.push(wireName(q.name), u16(q.type), u16(q.class));
  for (const r of [...answers, ...additionals]) {
    chunks.push(typeof r.name === "string" ? wireName(r.name) : r.name);
    chunks.push(u16(r.type), u16(r.class ?? CLASS_IN), u32(r.ttl ?? 300), u16(r.data.length));
    chunks.push(r.data);
  }
  return Buffer.concat(chunks);
}

/** An OPT record carrying an extended rcode (the high 8 bits of a 12-bit rcode). */
function opt(extendedRcode: number): RawRecord {
  return { name: ".", type: 41, class: 1232, ttl: extendedRcode << 24, data: new Uint8Array() };
}

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);
const characterString = (s: string) => Buffer.concat([bytes(text(s).length), text(s)]);

/** The honest records for a question. */
function honestRecords(q: RawQuestion): RawRecord[] {
  const name = q.name;
  switch (q.type) {
    case TYPES.A:
      return [{ name, type: TYPES.A, data: inetPton4(HONEST_A)! }];
    case TYPES.AAAA:
      return [{ name, type: TYPES.AAAA, data: inetPton6(HONEST_AAAA)! }];
    case TYPES.PTR:
      return [{ name, type: TYPES.PTR, data: wireName(HONEST_PTR) }];
    case TYPES.MX:
      return [{ name, type: TYPES.MX, data: Buffer.concat([bytes(0, 10), wireName("mx.test")]) }];
    case TYPES.TXT:
      return [{ name, type: TYPES.TXT, data: characterString("honest") }];
    default:
      return [];
  }
}

const honest = (id: number, q: RawQuestion, flags = QR_RD_RA) =>
  encodeRaw({ id, flags, questions: [q], answers: honestRecords(q) });

const forged = (id: number, questions: RawQuestion[], owner: string) =>
  encodeRaw({
    id,
    questions,
    answers: [{ name: owner, type: TYPES.A, data: inetPton4(FORGED_A)! }],
  });

/** The compression bomb: a `labels` × 63-octet name, then `count` records pointing at it. */
export function compressionBomb(id: number, q: RawQuestion, labels: number, count: number) {
  const label = Buffer.concat([bytes(63), text("a".repeat(63))]);
  const big = Buffer.concat([...Array.from({ length: labels }, () => label), bytes(0)]);
  return bomb(id, q, big, count);
}

/** A reply whose first record is owned by `owner` (wire form), then `count - 1` pointing at it. */
function bomb(id: number, q: RawQuestion, owner: Uint8Array, count: number): Uint8Array {
  const at = 12 + wireName(q.name).length + 4;
  const pointer = bytes(0xc0 | (at >> 8), at & 0xff);
  const a = inetPton4(HONEST_A)!;
  const answers: RawRecord[] = [{ name: owner, type: TYPES.A, data: a }];
  for (let i = 1; i < count; i++) answers.push({ name: pointer, type: TYPES.A, data: a });
  return encodeRaw({ id, questions: [q], answers });
}

/** A 250-octet name (labels of 49 octets) as wire bytes. */
function name250(): Uint8Array {
  const label = Buffer.concat([bytes(49), text("b".repeat(49))]);
  return Buffer.concat([label, label, label, label, label, bytes(0)]);
}

/** One thing the server sends: bytes, after a delay, from the server's port or another. */
interface Send {
  readonly data: Uint8Array;
  readonly delayMs?: number;
  readonly spoofed?: boolean;
}

/** The behaviour a name asks for. */
export function behaviourOf(name: string): HostileBehaviour {
  const label = name.split(".")[0].toLowerCase();
  if (/^rcode\d+$/.test(label)) return "rcode";
  return label in HOSTILE_BEHAVIOURS ? label as HostileBehaviour : "answer";
}

/** What to send over UDP for one query. */
function udpReplies(id: number, q: RawQuestion): Send[] {
  const b = behaviourOf(q.name);
  const later = { data: honest(id, q), delayMs: HONEST_DELAY_MS };
  const a = (data: Uint8Array, type = TYPES.A) =>
    encodeRaw({
      id,
      questions: [q],
      answers: [{ name: q.name, type, data }],
    });
  switch (b) {
    case "spoof-port":
      return [{ data: forged(id, [q], q.name), spoofed: true }, later];
    case "spoof-only":
      return [{ data: forged(id, [q], q.name), spoofed: true }];
    case "wrong-id":
      return [{ data: forged(id ^ 0x5a5a, [q], q.name) }, later];
    case "wrong-question":
      return [{ data: forged(id, [{ ...q, name: "forged.test" }], "forged.test") }, later];
    case "wrong-type":
      return [{ data: forged(id, [{ ...q, type: TYPES.MX }], q.name) }, later];
    case "wrong-class":
      return [{ data: forged(id, [{ ...q, class: CLASS_CH }], q.name) }, later];
    case "no-question":
      return [{ data: forged(id, [], q.name) }, later];
    case "mixed-case":
      return [{ data: honest(id, { ...q, name: flipCase(q.name) }) }];
    case "bomb":
      return [{ data: compressionBomb(id, q, 512, 2000) }];
    case "bomb-wide":
      return [{ data: bomb(id, q, name250(), 4000) }];
    case "short-a":
      return [{ data: a(bytes(1, 2, 3)) }];
    case "long-a":
      return [{ data: a(bytes(1, 2, 3, 4, 5)) }];
    case "short-aaaa":
      return [{ data: a(bytes(0x20, 1, 0x0d, 0xb8), TYPES.AAAA) }];
    case "short-mx":
      return [{ data: a(bytes(0), TYPES.MX) }];
    default:
      return [{ data: otherReply(b, id, q) }];
  }
}

function flipCase(name: string): string {
  return [...name].map((c) => c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()).join("");
}

/** The replies of the behaviours that send one honest-looking message. */
function otherReply(b: HostileBehaviour, id: number, q: RawQuestion): Uint8Array {
  switch (b) {
    case "ch-class":
      return encodeRaw({
        id,
        questions: [q],
        answers: [{ name: q.name, type: TYPES.A, class: CLASS_CH, data: inetPton4(CHAOS_A)! }],
      });
    case "badvers":
      return encodeRaw({ id, questions: [q], additionals: [opt(1)] });
    case "formerr-bare":
      return encodeRaw({ id, rcode: 1, questions: [] });
    case "rcode": {
      const n = Number(q.name.split(".")[0].slice(5));
      return encodeRaw({
        id,
        rcode: n & 0xf,
        questions: [q],
        additionals: n > 15 ? [opt(n >> 4)] : [],
      });
    }
    case "terminal":
      return terminalReply(id, q);
    case "tcp-silent":
    case "tcp-wrong-id":
    case "tcp-wrong-question":
      return encodeRaw({ id, flags: QR_RD_RA | TC, questions: [q] });
    default:
      return honest(id, q);
  }
}

/** Escape sequences: set the window title, clear the screen, colour. */
export const ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m";

function terminalReply(id: number, q: RawQuestion): Uint8Array {
  const tag = text(`issue${ESCAPES}`);
  const caa = Buffer.concat([bytes(0, tag.length), tag, text(`ca.test${ESCAPES}`)]);
  return encodeRaw({
    id,
    questions: [q],
    answers: [
      { name: q.name, type: TYPES.CAA, data: caa },
      { name: q.name, type: TYPES.TXT, data: characterString(`red${ESCAPES}`) },
      { name: wireName(`x${ESCAPES}.test`), type: TYPES.A, data: inetPton4(HONEST_A)! },
    ],
  });
}

/** What to send over TCP for one query (each a message, framed by the caller). */
function tcpReplies(id: number, q: RawQuestion): Uint8Array[] | "silent" {
  switch (behaviourOf(q.name)) {
    case "tcp-silent":
      return "silent";
    case "tcp-wrong-id":
      return [forged(id ^ 0x5a5a, [q], q.name), honest(id, q)];
    case "tcp-wrong-question":
      return [forged(id, [{ ...q, name: "forged.test" }], "forged.test"), honest(id, q)];
    default:
      return udpReplies(id, q).filter((s) => !s.spoofed).slice(-1).map((s) => s.data);
  }
}

function parseQuery(data: Uint8Array): { id: number; q: RawQuestion } | undefined {
  try {
    const p = dnsPacket.decode(Buffer.from(data));
    const question = p.questions?.[0];
    if (!question) return undefined;
    const type = TYPES[question.type] ?? 1;
    return { id: p.id ?? 0, q: { name: question.name, type, class: CLASS_IN } };
  } catch {
    return undefined;
  }
}

const typeName = (n: number) => Object.entries(TYPES).find(([, v]) => v === n)?.[0] ?? `${n}`;

/** Starts a hostile server on 127.0.0.1 (UDP and TCP on one free port). */
export async function startHostileDns(): Promise<HostileDns> {
  const adapter = await netAdapter();
  const spoofer = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  let udp: DatagramSocket | undefined;
  let listener: Listener | undefined;
  for (let attempt = 0; attempt < 10 && !listener; attempt++) {
    udp?.close();
    udp = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const port = (udp.addr as { port: number }).port;
    listener = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port })
      .catch(() => undefined);
  }
  if (!udp || !listener) throw new Error("hostile DNS: no free port for both UDP and TCP");
  const port = (udp.addr as { port: number }).port;
  const queries: { transport: "udp" | "tcp"; name: string; type: string }[] = [];
  const connections = new Set<Connection>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;
  const log = (transport: "udp" | "tcp", q: RawQuestion) =>
    queries.push({ transport, name: q.name, type: typeName(q.type) });
  void serveUdp(udp, spoofer, log, timers, () => closed);
  void serveTcp(listener, log, connections);
  return {
    server: `127.0.0.1:${port}`,
    endpoint: { hostname: "127.0.0.1", port },
    queries,
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      udp.close();
      spoofer.close();
      listener.close();
      for (const c of connections) c.close();
    },
  };
}

async function serveUdp(
  udp: DatagramSocket,
  spoofer: DatagramSocket,
  log: (transport: "udp", q: RawQuestion) => void,
  timers: Set<ReturnType<typeof setTimeout>>,
  closed: () => boolean,
): Promise<void> {
  for (;;) {
    let d;
    try {
      d = await udp.receive();
    } catch {
      return;
    }
    const query = parseQuery(d.data);
    if (!query) continue;
    log("udp", query.q);
    const from = d.from;
    for (const send of udpReplies(query.id, query.q)) {
      const go = () => {
        if (closed()) return;
        (send.spoofed ? spoofer : udp).send(send.data, from).catch(() => {});
      };
      if (!send.delayMs) go();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          go();
        }, send.delayMs);
        timers.add(t);
      }
    }
  }
}

async function serveTcp(
  listener: Listener,
  log: (transport: "tcp", q: RawQuestion) => void,
  connections: Set<Connection>,
): Promise<void> {
  for (;;) {
    let conn: Connection;
    try {
      conn = await listener.accept();
    } catch {
      return;
    }
    connections.add(conn);
    void serveConnection(conn, log).finally(() => {
      connections.delete(conn);
      conn.close();
    });
  }
}

async function serveConnection(
  conn: Connection,
  log: (transport: "tcp", q: RawQuestion) => void,
): Promise<void> {
  let buffered = new Uint8Array(0);
  for (;;) {
    while (buffered.length >= 2 && buffered.length >= 2 + ((buffered[0] << 8) | buffered[1])) {
      const length = (buffered[0] << 8) | buffered[1];
      const query = parseQuery(buffered.subarray(2, 2 + length));
      buffered = buffered.slice(2 + length);
      if (!query) return;
      log("tcp", query.q);
      const replies = tcpReplies(query.id, query.q);
      if (replies === "silent") continue;
      for (const reply of replies) {
        await conn.write(Buffer.concat([bytes(reply.length >> 8, reply.length & 0xff), reply]));
      }
    }
    const chunk = new Uint8Array(4096);
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) return;
    buffered = Buffer.concat([buffered, chunk.subarray(0, n)]);
  }
}

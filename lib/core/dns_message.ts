/**
 * DNS messages (RFC 1035) on the wire: encoding a query and decoding a response, for the record
 * types netdiag prints. Pure TypeScript on Uint8Array, so it loads in no time on every runtime
 * (a CommonJS codec costs Deno ~35 ms of start-up); the decoded records have the shape
 * `dns-packet` gives, which the tests use as the reference codec.
 * @module
 */
import { inetNtop4, inetNtop6 } from "./inet_ntop.ts";
import { RECORD_TYPE_NUMBERS, type RecordType } from "./dns_types.ts";
import type { WireRecord } from "./dns_records.ts";

/** Header flag bits (in the 16-bit flags word). */
export const DNS_FLAGS = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

const RCODES = [
  "NOERROR",
  "FORMERR",
  "SERVFAIL",
  "NXDOMAIN",
  "NOTIMP",
  "REFUSED",
  "YXDOMAIN",
  "YXRRSET",
  "NXRRSET",
  "NOTAUTH",
  "NOTZONE",
];

const TYPE_NAMES: Record<number, string> = Object.fromEntries([
  ...Object.entries(RECORD_TYPE_NUMBERS).map(([name, n]) => [n, name]),
  [39, "DNAME"],
  [41, "OPT"],
]);

/** A question of a decoded message. */
export interface DnsQuestion {
  readonly name: string;
  readonly type: string;
  readonly class: string;
}

/** A decoded DNS message. */
export interface DnsMessage {
  readonly id: number;
  /** The 16-bit flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  readonly flags: number;
  /** The response code by name (NOERROR, NXDOMAIN, …, or RCODE<n>). */
  readonly rcode: string;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly WireRecord[];
  readonly authorities: readonly WireRecord[];
  readonly additionals: readonly WireRecord[];
}

/** Options of {@link encodeQuery}. */
export interface QueryOptions {
  /** Ask for recursion (RD); default true. */
  readonly recursionDesired?: boolean;
  /** Add an EDNS(0) OPT record advertising this UDP payload size; default 1232, 0 for none. */
  readonly ednsPayload?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function nameBytes(name: string): Uint8Array {
  const text = name === "." ? "" : name.endsWith(".") ? name.slice(0, -1) : name;
  // ASCII names (nearly all) are encoded in place; others go through TextEncoder.
  // deno-lint-ignore no-control-regex
  const bytes = /^[\x00-\x7f]*$/.test(text) ? null : encoder.encode(text);
  const length = bytes ? bytes.length : text.length;
  const out = new Uint8Array(length + 2 - (length === 0 ? 1 : 0));
  let labelStart = 0;
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 0x2e : bytes ? bytes[i] : text.charCodeAt(i);
    if (c === 0x2e) {
      const labelLength = i - labelStart;
      if (length > 0 && (labelLength === 0 || labelLength > 63)) {
        throw new RangeError(`invalid label in ${name}`);
      }
      if (length > 0) out[labelStart] = labelLength;
      labelStart = i + 1;
    } else {
      out[i + 1] = c;
    }
  }
  out[out.length - 1] = 0;
  return out;
}

/** Encodes a query for `type` records of `name` (class IN). */
export function encodeQuery(
  id: number,
  name: string,
  type: RecordType | string,
  options: QueryOptions = {},
): Uint8Array {
  const qname = nameBytes(name);
  const edns = options.ednsPayload ?? 1232;
  const number = RECORD_TYPE_NUMBERS[type as RecordType];
  if (number === undefined) throw new RangeError(`unknown record type ${type}`);
  const out = new Uint8Array(12 + qname.length + 4 + (edns ? 11 : 0));
  const view = new DataView(out.buffer);
  view.setUint16(0, id);
  view.setUint16(2, options.recursionDesired === false ? 0 : DNS_FLAGS.RD);
  view.setUint16(4, 1);
  view.setUint16(10, edns ? 1 : 0);
  out.set(qname, 12);
  let off = 12 + qname.length;
  view.setUint16(off, number);
  view.setUint16(off + 2, 1);
  off += 4;
  if (edns) {
    // root name, type OPT, class = payload size, TTL 0 (extended rcode, version, flags), rdlen 0
    out[off] = 0;
    view.setUint16(off + 1, 41);
    view.setUint16(off + 3, edns);
  }
  return out;
}

/** A malformed message. */
export class DnsFormatError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "DnsFormatError";
  }
}

class Reader {
  readonly view: DataView;
  off = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, at = this.off) {
    if (at + n > this.bytes.length) throw new DnsFormatError("message truncated");
  }
  u8() {
    this.need(1);
    return this.bytes[this.off++];
  }
  u16() {
    this.need(2);
    const v = this.view.getUint16(this.off);
    this.off += 2;
    return v;
  }
  u32() {
    this.need(4);
    const v = this.view.getUint32(this.off);
    this.off += 4;
    return v;
  }
  take(n: number) {
    this.need(n);
    const v = this.bytes.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
  /** Reads a (possibly compressed) name at the cursor. */
  name(): string {
    const [text, end] = readName(this.bytes, this.off);
    this.off = end;
    return text;
  }
  /** A character-string: length byte, then bytes. */
  string(): Uint8Array {
    return this.take(this.u8());
  }
}

function labelText(bytes: Uint8Array): string {
  let plain = true;
  for (const b of bytes) {
    if (b <= 0x20 || b >= 0x7f || b === 0x2e || b === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return String.fromCharCode(...bytes);
  let out = "";
  for (const b of bytes) {
    if (b === 0x2e || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b <= 0x20 || b >= 0x7f) out += "\\" + b.toString().padStart(3, "0");
    else out += String.fromCharCode(b);
  }
  return out;
}

/** Reads a name at `start`; returns its text (no trailing dot; "." for the root) and end. */
function readName(bytes: Uint8Array, start: number): [string, number] {
  const labels: string[] = [];
  let off = start;
  let end = -1;
  for (let jumps = 0; jumps < 128;) {
    if (off >= bytes.length) throw new DnsFormatError("name runs past the message");
    const len = bytes[off];
    if (len === 0) {
      if (end < 0) end = off + 1;
      return [labels.length ? labels.join(".") : ".", end];
    }
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= bytes.length) throw new DnsFormatError("name runs past the message");
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | bytes[off + 1];
      jumps++;
      continue;
    }
    if (len & 0xc0) throw new DnsFormatError("bad label type");
    if (off + 1 + len > bytes.length) throw new DnsFormatError("name runs past the message");
    labels.push(labelText(bytes.subarray(off + 1, off + 1 + len)));
    off += 1 + len;
  }
  throw new DnsFormatError("name compression loop");
}

const textOf = (b: Uint8Array) => decoder.decode(b);

function rdata(r: Reader, type: string, length: number): unknown {
  const end = r.off + length;
  r.need(length);
  let data: unknown;
  switch (type) {
    case "A":
      data = length === 4 ? inetNtop4(r.take(4)) : r.take(length);
      break;
    case "AAAA":
      data = length === 16 ? inetNtop6(r.take(16)) : r.take(length);
      break;
    case "CNAME":
    case "NS":
    case "PTR":
    case "DNAME":
      data = r.name();
      break;
    case "MX":
      data = { preference: r.u16(), exchange: r.name() };
      break;
    case "TXT": {
      const strings: Uint8Array[] = [];
      while (r.off < end) strings.push(r.string());
      data = strings;
      break;
    }
    case "SRV":
      data = { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
      break;
    case "SOA":
      data = {
        mname: r.name(),
        rname: r.name(),
        serial: r.u32(),
        refresh: r.u32(),
        retry: r.u32(),
        expire: r.u32(),
        minimum: r.u32(),
      };
      break;
    case "CAA": {
      const flags = r.u8();
      const tag = textOf(r.string());
      data = { flags, tag, value: textOf(r.take(end - r.off)) };
      break;
    }
    case "NAPTR":
      data = {
        order: r.u16(),
        preference: r.u16(),
        flags: textOf(r.string()),
        services: textOf(r.string()),
        regexp: textOf(r.string()),
        replacement: r.name(),
      };
      break;
    default:
      data = r.take(length);
  }
  if (r.off > end) throw new DnsFormatError(`${type} record data overruns its length`);
  r.off = end;
  return data;
}

function record(r: Reader): WireRecord {
  const name = r.name();
  const typeNumber = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const length = r.u16();
  const type = TYPE_NAMES[typeNumber] ?? `TYPE${typeNumber}`;
  if (type === "OPT") {
    r.take(length);
    return { name, type, ttl: 0, class: "OPT", data: { udpPayloadSize: cls } };
  }
  return { name, type, ttl, class: cls === 1 ? "IN" : `CLASS${cls}`, data: rdata(r, type, length) };
}

/** Decodes a DNS message; throws {@link DnsFormatError} when it is malformed. */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  const r = new Reader(bytes);
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = r.name();
    const type = r.u16();
    const cls = r.u16();
    questions.push({
      name,
      type: TYPE_NAMES[type] ?? `TYPE${type}`,
      class: cls === 1 ? "IN" : `CLASS${cls}`,
    });
  }
  const section = (n: number) => Array.from({ length: n }, () => record(r));
  const answers = section(counts[1]);
  const authorities = section(counts[2]);
  const additionals = section(counts[3]);
  const rcodeNumber = flags & 0xf;
  return {
    id,
    flags,
    rcode: RCODES[rcodeNumber] ?? `RCODE${rcodeNumber}`,
    questions,
    answers,
    authorities,
    additionals,
  };
}

/** Reads the id of a message without decoding it (undefined when too short). */
export function messageId(bytes: Uint8Array): number | undefined {
  return bytes.length >= 2 ? (bytes[0] << 8) | bytes[1] : undefined;
}

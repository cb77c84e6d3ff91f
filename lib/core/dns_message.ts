/**
 * DNS messages (RFC 1035) on the wire: encoding a query and decoding a response, for the record
 * types netdiag prints. Pure TypeScript on Uint8Array, so it loads in no time on every runtime
 * (a CommonJS codec costs Deno ~35 ms of start-up); the decoded records have the shape
 * `dns-packet` gives, which the tests use as the reference codec.
 *
 * Replies come from the network, so decoding is bounded and strict: names of at most 255 octets
 * (labels of at most 63), at most 127 compression pointers per name and 512 KiB of names decoded
 * per message, record data of the length its type requires; anything else makes the whole
 * message malformed ({@link DnsFormatError}).
 * @module
 */
import { inetNtop4, inetNtop6 } from "./inet_ntop.ts";
import { RECORD_TYPE_NUMBERS, type RecordType } from "./dns_types.ts";
import type { WireRecord } from "./dns_records.ts";
import { rcodeName } from "./dns_rcodes.ts";
import { quote } from "./errors.ts";

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
  /**
   * The response code by name (NOERROR, NXDOMAIN, BADVERS, … or RCODE<n>): the header's 4 bits
   * and, when there is an OPT record, its 8 extended bits above them.
   */
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

/** The longest name on the wire: labels, their length octets and the root's zero (RFC 1035). */
export const MAX_NAME_OCTETS = 255;
/** The most compression pointers followed in one name (a longer chain is taken for a loop). */
export const MAX_NAME_POINTERS = 127;
/**
 * The most octets of names one message may make the decoder read, pointers followed: 8 × 64 KiB,
 * eight times the largest message, so that no message costs more than that however its names
 * point at each other.
 */
export const MAX_DECODED_NAME_OCTETS = 8 * 65536;

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
        throw new RangeError(`invalid label in ${quote(name)}`);
      }
      if (length > 0) out[labelStart] = labelLength;
      labelStart = i + 1;
    } else {
      out[i + 1] = c;
    }
  }
  out[out.length - 1] = 0;
  if (out.length > MAX_NAME_OCTETS) {
    throw new RangeError(
      `${quote(name)} is ${out.length} octets long, at most ${MAX_NAME_OCTETS} allowed`,
    );
  }
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
  // Big-endian fields written octet by octet: a DataView would make the runtime materialize the
  // array's buffer, which costs more than the whole query in a batch of 100k.
  const put16 = (at: number, value: number) => {
    out[at] = value >> 8;
    out[at + 1] = value & 0xff;
  };
  put16(0, id);
  put16(2, options.recursionDesired === false ? 0 : DNS_FLAGS.RD);
  put16(4, 1);
  put16(10, edns ? 1 : 0);
  out.set(qname, 12);
  let off = 12 + qname.length;
  put16(off, number);
  put16(off + 2, 1);
  off += 4;
  if (edns) {
    // root name, type OPT, class = payload size, TTL 0 (extended rcode, version, flags), rdlen 0
    out[off] = 0;
    put16(off + 1, 41);
    put16(off + 3, edns);
  }
  return out;
}

/** A malformed message. */
export class DnsFormatError extends Error {
  /** Creates the error; the message says what in the message is wrong. */
  constructor(message: string) {
    super(message);
    this.name = "DnsFormatError";
  }
}

/** A cursor over a message; big-endian numbers read from the octets (no DataView per message). */
class Reader {
  off = 0;
  /** Name octets this message may still make the decoder read. */
  budget = MAX_DECODED_NAME_OCTETS;
  /**
   * The first name read (a reply's question, which its records point at) once decoded: where it
   * starts, its text, octets, pointers and the budget it took, so a pointer to it costs what
   * reading it again would, without building its text again.
   */
  memo: NameMemo | undefined;
  constructor(readonly bytes: Uint8Array) {}
  need(n: number, at = this.off) {
    if (at + n > this.bytes.length) throw new DnsFormatError("the message is truncated");
  }
  u8() {
    this.need(1);
    return this.bytes[this.off++];
  }
  u16() {
    this.need(2);
    const b = this.bytes, at = this.off;
    this.off += 2;
    return (b[at] << 8) | b[at + 1];
  }
  u32() {
    this.need(4);
    const b = this.bytes, at = this.off;
    this.off += 4;
    return b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  }
  take(n: number) {
    this.need(n);
    const v = this.bytes.subarray(this.off, this.off + n);
    this.off += n;
    return v;
  }
  /** Counts `n` octets of names read against the message's budget. */
  spend(n: number) {
    this.budget -= n;
    if (this.budget < 0) {
      throw new DnsFormatError(
        `its names take more than ${MAX_DECODED_NAME_OCTETS} octets to decode`,
      );
    }
  }
  /** Reads a (possibly compressed) name at the cursor. */
  name(): string {
    const [text, end] = readName(this, this.off);
    this.off = end;
    return text;
  }
  /** A character-string: length byte, then bytes. */
  string(): Uint8Array {
    return this.take(this.u8());
  }
}

/** The text of the label in `bytes[start, end)`: dots, backslashes and non-printables escaped. */
function labelText(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === 0x2e || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b <= 0x20 || b >= 0x7f) out += "\\" + b.toString().padStart(3, "0");
    else out += String.fromCharCode(b);
  }
  return out;
}

/** A name decoded at `at` (see `Reader.memo`). */
interface NameMemo {
  readonly at: number;
  readonly text: string;
  readonly octets: number;
  readonly pointers: number;
  readonly spent: number;
}

const PAST_END = "a name runs past the end of the message";

/**
 * Reads a name at `start`; returns its text (no trailing dot; "." for the root) and the offset
 * after it. Labels are at most 63 octets (the 6-bit length), the name at most
 * {@link MAX_NAME_OCTETS} octets, with at most {@link MAX_NAME_POINTERS} pointers; every octet
 * read counts against the message's budget.
 */
function readName(r: Reader, start: number): [string, number] {
  const bytes = r.bytes;
  const budget = r.budget;
  let text = "";
  let off = start;
  let end = -1;
  let octets = 1;
  let pointers = 0;
  for (;;) {
    if (off >= bytes.length) throw new DnsFormatError(PAST_END);
    const len = bytes[off];
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= bytes.length) throw new DnsFormatError(PAST_END);
      pointers = countPointers(pointers + 1);
      r.spend(2);
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | bytes[off + 1];
      const memo = r.memo;
      if (memo?.at !== off) continue;
      // The rest of the name is the memo's: its limits are counted as reading it would.
      pointers = countPointers(pointers + memo.pointers);
      octets = countOctets(octets + memo.octets - 1);
      r.spend(memo.spent);
      if (memo.text !== ".") text = text === "" ? memo.text : text + "." + memo.text;
      return [text === "" ? "." : text, end];
    }
    if (len & 0xc0) {
      throw new DnsFormatError(`a name has a label of unknown type 0x${len.toString(16)}`);
    }
    if (len === 0) {
      if (end < 0) end = off + 1;
      text = text === "" ? "." : text;
      r.memo ??= { at: start, text, octets, pointers, spent: budget - r.budget };
      return [text, end];
    }
    octets = countOctets(octets + 1 + len);
    if (off + 1 + len > bytes.length) throw new DnsFormatError(PAST_END);
    r.spend(1 + len);
    const label = labelText(bytes, off + 1, off + 1 + len);
    text = text === "" ? label : text + "." + label;
    off += 1 + len;
  }
}

/** `n` pointers in one name, or a DnsFormatError past {@link MAX_NAME_POINTERS}. */
function countPointers(n: number): number {
  if (n > MAX_NAME_POINTERS) {
    throw new DnsFormatError(`a name has more than ${MAX_NAME_POINTERS} compression pointers`);
  }
  return n;
}

/** `n` octets of one name, or a DnsFormatError past {@link MAX_NAME_OCTETS}. */
function countOctets(n: number): number {
  if (n > MAX_NAME_OCTETS) {
    throw new DnsFormatError(`a name is longer than ${MAX_NAME_OCTETS} octets`);
  }
  return n;
}

const textOf = (b: Uint8Array) => decoder.decode(b);

/** The data length of fixed-size types. */
const FIXED_LENGTH: Readonly<Record<string, number>> = { A: 4, AAAA: 16 };
/** The shortest data of variable-size types (a name is at least the root's one octet). */
const MIN_LENGTH: Readonly<Record<string, number>> = {
  CNAME: 1,
  NS: 1,
  PTR: 1,
  DNAME: 1,
  MX: 3,
  TXT: 1,
  SRV: 7,
  SOA: 22,
  CAA: 2,
  NAPTR: 8,
};

const octetsText = (n: number) => `${n} octet${n === 1 ? "" : "s"}`;

/** Reads the data of a class IN record; data that does not fit its type is a DnsFormatError. */
function rdata(r: Reader, owner: string, type: string, length: number): unknown {
  r.need(length);
  const start = r.off;
  const what = () => `${type} record of ${quote(owner)}`;
  const fixed = FIXED_LENGTH[type];
  if (fixed !== undefined && length !== fixed) {
    throw new DnsFormatError(`${what()} has ${octetsText(length)} of data, expected ${fixed}`);
  }
  const min = MIN_LENGTH[type];
  if (min !== undefined && length < min) {
    throw new DnsFormatError(
      `${what()} has ${octetsText(length)} of data, at least ${min} expected`,
    );
  }
  const data = fields(r, type, start + length);
  if (r.off !== start + length) {
    throw new DnsFormatError(
      `${what()} has ${octetsText(length)} of data but its fields take ${r.off - start}`,
    );
  }
  return data;
}

/** Reads the fields of the record data ending at `end`. */
function fields(r: Reader, type: string, end: number): unknown {
  switch (type) {
    case "A":
      r.off += 4; // the length was checked
      return inetNtop4(r.bytes, r.off - 4);
    case "AAAA":
      return inetNtop6(r.take(16));
    case "CNAME":
    case "NS":
    case "PTR":
    case "DNAME":
      return r.name();
    case "MX":
      return { preference: r.u16(), exchange: r.name() };
    case "TXT": {
      const strings: Uint8Array[] = [];
      while (r.off < end) strings.push(r.string());
      return strings;
    }
    case "SRV":
      return { priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
    case "SOA":
      return {
        mname: r.name(),
        rname: r.name(),
        serial: r.u32(),
        refresh: r.u32(),
        retry: r.u32(),
        expire: r.u32(),
        minimum: r.u32(),
      };
    case "CAA": {
      const flags = r.u8();
      const tag = textOf(r.string());
      return { flags, tag, value: textOf(r.take(Math.max(0, end - r.off))) };
    }
    case "NAPTR":
      return {
        order: r.u16(),
        preference: r.u16(),
        flags: textOf(r.string()),
        services: textOf(r.string()),
        regexp: textOf(r.string()),
        replacement: r.name(),
      };
    default:
      return r.take(end - r.off);
  }
}

const CLASS_NAMES: Readonly<Record<number, string>> = {
  1: "IN",
  3: "CH",
  4: "HS",
  254: "NONE",
  255: "ANY",
};

const className = (n: number) => CLASS_NAMES[n] ?? `CLASS${n}`;

/** The data of an OPT record (RFC 6891): its TTL field holds the extended rcode and version. */
export interface OptData {
  readonly udpPayloadSize: number;
  /** The high 8 bits of the 12-bit response code. */
  readonly extendedRcode: number;
  readonly version: number;
}

function record(r: Reader): WireRecord {
  const name = r.name();
  const typeNumber = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const length = r.u16();
  const type = TYPE_NAMES[typeNumber] ?? `TYPE${typeNumber}`;
  if (type === "OPT") {
    r.need(length);
    r.off += length;
    const data: OptData = {
      udpPayloadSize: cls,
      extendedRcode: ttl >>> 24,
      version: (ttl >>> 16) & 0xff,
    };
    return { name, type, ttl: 0, class: "OPT", data };
  }
  // Record data of other classes has formats of its own (a CH A record holds a name): kept raw.
  const data = cls === 1 ? rdata(r, name, type, length) : r.take(length);
  return { name, type, ttl, class: className(cls), data };
}

/** The header and question section of a message: what a reply is matched on. */
export interface DnsHead {
  readonly id: number;
  /** The 16-bit flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  readonly flags: number;
  readonly questions: readonly DnsQuestion[];
}

function readHead(r: Reader): DnsHead & { readonly counts: number[] } {
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = r.name();
    const type = r.u16();
    const cls = r.u16();
    questions.push({ name, type: TYPE_NAMES[type] ?? `TYPE${type}`, class: className(cls) });
  }
  return { id, flags, questions, counts };
}

/**
 * Decodes the header and question section only (cheap and bounded: for matching a reply to its
 * query before decoding the rest); throws {@link DnsFormatError} when they are malformed.
 */
export function decodeHead(bytes: Uint8Array): DnsHead {
  const { id, flags, questions } = readHead(new Reader(bytes));
  return { id, flags, questions };
}

/**
 * Decodes a DNS message; throws {@link DnsFormatError} when it is malformed: truncated, a name
 * over {@link MAX_NAME_OCTETS} octets or with more than {@link MAX_NAME_POINTERS} pointers, names
 * costing more than {@link MAX_DECODED_NAME_OCTETS} octets in all, record data of the wrong
 * length for its type, or more than one OPT record.
 */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  const r = new Reader(bytes);
  const { id, flags, questions, counts } = readHead(r);
  const section = (n: number) => {
    const out: WireRecord[] = [];
    for (let i = 0; i < n; i++) out.push(record(r));
    return out;
  };
  const answers = section(counts[1]);
  const authorities = section(counts[2]);
  const additionals = section(counts[3]);
  let opt: OptData | undefined;
  let optCount = 0;
  for (const a of additionals) {
    if (a.type !== "OPT") continue;
    opt = a.data as OptData;
    optCount++;
  }
  if (optCount > 1) {
    throw new DnsFormatError(`it has ${optCount} OPT records, at most 1 allowed`);
  }
  const extended = opt ? opt.extendedRcode : 0;
  return {
    id,
    flags,
    rcode: rcodeName((extended << 4) | (flags & 0xf)),
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

/**
 * DNS answers as netdiag reports them: records with a structured value and a presentation
 * text (names without trailing dots, TXT strings kept together), and the outcome of a query
 * (NOERROR, NODATA, NXDOMAIN, SERVFAIL, REFUSED, BADVERS, TIMEOUT, MALFORMED, …) with its exit
 * code.
 *
 * The input shapes are those of a decoded DNS message (as `dns-packet` produces), described here
 * structurally so that this module stays pure.
 * @module
 */
import { ExitCode } from "./exit_code.ts";
import { inetNtop6 } from "./inet_ntop.ts";
import { inetPton6 } from "./inet_pton.ts";
import { sameName, stripDot } from "./dns_name.ts";
import { rcodeText } from "./dns_rcodes.ts";

/** A resource record as decoded from the wire (the `dns-packet` answer shape). */
export interface WireRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly class?: string;
  readonly data?: unknown;
}

/** Structured record values by type. */
export type RecordValue =
  | string
  | readonly string[]
  | { readonly preference: number; readonly exchange: string }
  | {
    readonly priority: number;
    readonly weight: number;
    readonly port: number;
    readonly target: string;
  }
  | {
    readonly mname: string;
    readonly rname: string;
    readonly serial: number;
    readonly refresh: number;
    readonly retry: number;
    readonly expire: number;
    readonly minimum: number;
  }
  | { readonly flags: number; readonly tag: string; readonly value: string }
  | {
    readonly order: number;
    readonly preference: number;
    readonly flags: string;
    readonly services: string;
    readonly regexp: string;
    readonly replacement: string;
  }
  | null;

/** One record of an answer as netdiag reports it. */
export interface DnsRecord {
  /** Owner name, without a trailing dot. */
  readonly name: string;
  /** Type name (`A`, `MX`, … or `TYPE65`). */
  readonly type: string;
  /** Time to live in seconds. */
  readonly ttl: number;
  /**
   * The value: an address or name (A, AAAA, CNAME, NS, PTR), the strings of one TXT record, or
   * an object (MX, SRV, SOA, CAA, NAPTR); null for types netdiag does not decode.
   */
  readonly value: RecordValue;
  /** Presentation text, as dig prints the data (without trailing dots). */
  readonly data: string;
}

/** How a query ended without a response code of its own. */
export type LocalDnsStatus = "NODATA" | "TIMEOUT" | "UNREACHABLE" | "MALFORMED" | "ERROR";

/**
 * How a query ended: the server's response code by name (`NOERROR`, `NXDOMAIN`, `SERVFAIL`,
 * `REFUSED`, `YXDOMAIN`, `BADVERS`, … `RCODE15`; see lib/core/dns_rcodes.ts), NODATA for NOERROR
 * without a record of the type, or a local outcome: TIMEOUT, UNREACHABLE, MALFORMED (the reply
 * could not be decoded) or ERROR (another failure, said in the exchange's `error`).
 */
export type DnsStatus =
  | "NOERROR"
  | "NXDOMAIN"
  | "SERVFAIL"
  | "REFUSED"
  | "FORMERR"
  | "NOTIMP"
  | LocalDnsStatus
  | (string & Record<never, never>);

const LOCAL_TEXT: Record<LocalDnsStatus, string> = {
  NODATA: "the name exists but has no records of this type",
  TIMEOUT: "no answer before the timeout",
  UNREACHABLE: "the server is unreachable",
  MALFORMED: "the reply is malformed",
  ERROR: "the query failed",
};

/** A short explanation of a status, for human output: `no such name`, `server failure`, … */
export function dnsStatusText(status: DnsStatus): string {
  if (status === "NOERROR") return "answer";
  return LOCAL_TEXT[status as LocalDnsStatus] ?? rcodeText(status);
}

/** The exit code of a status: 0 answer, 1 no such name / no data, 3 anything else. */
export function dnsStatusExitCode(status: DnsStatus): ExitCode {
  if (status === "NOERROR") return ExitCode.Ok;
  if (status === "NXDOMAIN" || status === "NODATA") return ExitCode.Negative;
  return ExitCode.Failure;
}

/** The worst of several exit codes: failure (3) over negative (1) over success (0). */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = ExitCode.Ok;
  for (const code of codes) {
    if (code === ExitCode.Failure || code === ExitCode.Usage) return code;
    if (code === ExitCode.Negative) worst = code;
  }
  return worst;
}

/**
 * The status of a response: the server's rcode by name, except that NOERROR without any record
 * of the asked type (after following CNAMEs for other types) is NODATA.
 */
export function responseStatus(
  rcode: string,
  answers: readonly DnsRecord[],
  type: string,
): DnsStatus {
  if (rcode !== "NOERROR") return rcode;
  return answers.some((r) => r.type === type) ? "NOERROR" : "NODATA";
}

const num = (v: unknown): number => typeof v === "number" ? v : Number(v ?? 0);
const str = (v: unknown): string => typeof v === "string" ? v : String(v ?? "");
const name = (v: unknown): string => stripDot(str(v)) || ".";

/** Escapes one character-string as dig does: `"`, `\` escaped, other non-printables as \DDD. */
export function quoteCharacterString(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b < 0x20 || b >= 0x7f) out += "\\" + b.toString().padStart(3, "0");
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return new TextEncoder().encode(str(v));
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Converts a decoded record to netdiag's {@link DnsRecord}. */
export function toDnsRecord(record: WireRecord): DnsRecord {
  if (record.type === "A") {
    // The common case of a large batch, without the spread below.
    const value = str(record.data);
    return { name: name(record.name), type: "A", ttl: num(record.ttl), value, data: value };
  }
  const base = { name: name(record.name), type: record.type, ttl: num(record.ttl) };
  const d = record.data as Record<string, unknown> | string | Uint8Array | unknown[] | undefined;
  const o = (d ?? {}) as Record<string, unknown>;
  switch (record.type) {
    case "AAAA": {
      const bytes = inetPton6(str(d));
      const text = bytes ? inetNtop6(bytes) : str(d);
      return { ...base, value: text, data: text };
    }
    case "CNAME":
    case "NS":
    case "PTR":
    case "DNAME":
      return { ...base, value: name(d), data: name(d) };
    case "MX": {
      const value = { preference: num(o.preference), exchange: name(o.exchange) };
      return { ...base, value, data: `${value.preference} ${value.exchange}` };
    }
    case "TXT": {
      const parts = (Array.isArray(d) ? d : [d]).map(toBytes);
      const decoder = new TextDecoder();
      return {
        ...base,
        value: parts.map((p) => decoder.decode(p)),
        data: parts.map(quoteCharacterString).join(" "),
      };
    }
    case "SRV": {
      const value = {
        priority: num(o.priority),
        weight: num(o.weight),
        port: num(o.port),
        target: name(o.target),
      };
      return {
        ...base,
        value,
        data: `${value.priority} ${value.weight} ${value.port} ${value.target}`,
      };
    }
    case "SOA": {
      const value = {
        mname: name(o.mname),
        rname: name(o.rname),
        serial: num(o.serial),
        refresh: num(o.refresh),
        retry: num(o.retry),
        expire: num(o.expire),
        minimum: num(o.minimum),
      };
      return {
        ...base,
        value,
        data: `${value.mname} ${value.rname} ${value.serial} ${value.refresh} ${value.retry} ` +
          `${value.expire} ${value.minimum}`,
      };
    }
    case "CAA": {
      const value = { flags: num(o.flags), tag: str(o.tag), value: str(o.value) };
      return {
        ...base,
        value,
        data: `${value.flags} ${value.tag} ${quoteCharacterString(toBytes(value.value))}`,
      };
    }
    case "NAPTR": {
      const value = {
        order: num(o.order),
        preference: num(o.preference),
        flags: str(o.flags),
        services: str(o.services),
        regexp: str(o.regexp),
        replacement: name(o.replacement),
      };
      const q = (s: string) => quoteCharacterString(toBytes(s));
      return {
        ...base,
        value,
        data: `${value.order} ${value.preference} ${q(value.flags)} ${q(value.services)} ` +
          `${q(value.regexp)} ${value.replacement}`,
      };
    }
    default: {
      const bytes = d instanceof Uint8Array ? d : new Uint8Array();
      return { ...base, value: null, data: `\\# ${bytes.length} ${hex(bytes)}`.trimEnd() };
    }
  }
}

/** What a name's A/AAAA answers come to after following its CNAME chain. */
export interface ChainResult {
  /** The end of the CNAME chain (the name itself when there is none). */
  readonly canonicalName: string;
  /** The names that were aliases, in chain order, starting with the queried name. */
  readonly aliases: readonly string[];
  /** The records of `type` owned by the canonical name, in answer order. */
  readonly records: readonly DnsRecord[];
}

/**
 * Follows the CNAME chain from `qname` through `answers` (at most 16 links, loops stop it) and
 * collects the records of `type` at its end — what glibc's gethostbyname makes of a response.
 */
export function followChain(
  qname: string,
  answers: readonly DnsRecord[],
  type: string,
): ChainResult {
  const aliases: string[] = [];
  let current = stripDot(qname);
  for (let hop = 0; hop < 16; hop++) {
    const cname = answers.find((r) => r.type === "CNAME" && sameName(r.name, current));
    if (!cname || aliases.some((a) => sameName(a, current))) break;
    aliases.push(current);
    current = cname.value as string;
  }
  const records = answers.filter((r) => r.type === type && sameName(r.name, current));
  return { canonicalName: current, aliases, records };
}

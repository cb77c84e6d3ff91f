/**
 * The dns prober's wire pieces: a query as blackbox_exporter's miekg/dns client sends it (any
 * query type and class, RD as configured, no EDNS), and resource records in miekg/dns's text form
 * (`String()`), which `validate_*_rrs` regular expressions are written against:
 * `host.test.\t300\tIN\tA\t10.0.0.2`, names fully qualified.
 * @module
 */
import { quoteCharacterString, type WireRecord } from "../core/dns_records.ts";
import { inetNtop6 } from "../core/inet_ntop.ts";
import { inetPton6 } from "../core/inet_pton.ts";

/** Encodes a query for `name` (`typeNumber`, `classNumber`) with id `id`. */
export function encodeDnsQuery(
  id: number,
  name: string,
  typeNumber: number,
  classNumber: number,
  recursionDesired: boolean,
): Uint8Array {
  const labels = name.replace(/\.$/, "").split(".").filter((l) => l.length);
  const encoder = new TextEncoder();
  const parts = labels.map((l) => encoder.encode(l));
  for (const p of parts) {
    if (p.length > 63) {
      throw new RangeError(
        `label of ${p.length} octets in ${JSON.stringify(name)}, at most 63 allowed`,
      );
    }
  }
  const qlen = parts.reduce((n, p) => n + p.length + 1, 1);
  if (qlen > 255) {
    throw new RangeError(`${JSON.stringify(name)} is ${qlen} octets long, at most 255 allowed`);
  }
  const out = new Uint8Array(12 + qlen + 4);
  const view = new DataView(out.buffer);
  view.setUint16(0, id);
  view.setUint16(2, recursionDesired ? 0x0100 : 0);
  view.setUint16(4, 1);
  let off = 12;
  for (const p of parts) {
    out[off++] = p.length;
    out.set(p, off);
    off += p.length;
  }
  out[off++] = 0;
  view.setUint16(off, typeNumber);
  view.setUint16(off + 2, classNumber);
  return out;
}

/** A name as miekg/dns prints it: fully qualified (the root is `.`). */
export function fqdn(name: string): string {
  if (name === "" || name === ".") return ".";
  return name.endsWith(".") ? name : `${name}.`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function text(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : new TextEncoder().encode(String(value ?? ""));
}

function rdataText(r: WireRecord): string {
  const d = r.data as Record<string, unknown> & unknown;
  const o = (d ?? {}) as Record<string, unknown>;
  if (r.class !== "IN" && r.class !== "OPT") {
    const bytes = d instanceof Uint8Array ? d : new Uint8Array();
    return `\\# ${bytes.length}${bytes.length ? ` ${hex(bytes)}` : ""}`;
  }
  switch (r.type) {
    case "A":
      return String(d);
    case "AAAA": {
      const bytes = inetPton6(String(d));
      return bytes ? inetNtop6(bytes) : String(d);
    }
    case "CNAME":
    case "NS":
    case "PTR":
    case "DNAME":
      return fqdn(String(d));
    case "MX":
      return `${o.preference} ${fqdn(String(o.exchange))}`;
    case "TXT":
      return (Array.isArray(d) ? d : [d]).map((s) => quoteCharacterString(text(s))).join(" ");
    case "SRV":
      return `${o.priority} ${o.weight} ${o.port} ${fqdn(String(o.target))}`;
    case "SOA":
      return `${fqdn(String(o.mname))} ${
        fqdn(String(o.rname))
      } ${o.serial} ${o.refresh} ${o.retry} ${o.expire} ${o.minimum}`;
    case "CAA":
      return `${o.flags} ${o.tag} ${quoteCharacterString(text(o.value))}`;
    case "NAPTR":
      return `${o.order} ${o.preference} ${quoteCharacterString(text(o.flags))} ${
        quoteCharacterString(text(o.services))
      } ${quoteCharacterString(text(o.regexp))} ${fqdn(String(o.replacement))}`;
    case "OPT":
      return `udp: ${(o.udpPayloadSize as number) ?? 0}`;
    default: {
      const bytes = d instanceof Uint8Array ? d : new Uint8Array();
      return `\\# ${bytes.length}${bytes.length ? ` ${hex(bytes)}` : ""}`;
    }
  }
}

/** A record in miekg/dns's `String()` form (see the module). */
export function rrText(r: WireRecord): string {
  return `${fqdn(r.name)}\t${r.ttl ?? 0}\t${r.class ?? "IN"}\t${r.type}\t${rdataText(r)}`;
}

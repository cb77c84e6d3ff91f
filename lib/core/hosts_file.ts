/**
 * The hosts file, read the way glibc's `files` NSS module reads it, so that answers match
 * CPython's socket functions on Linux:
 *
 * - a line is `ADDRESS CANONICAL-NAME [ALIAS...]`; `#` starts a comment anywhere; an address
 *   inet_pton refuses makes glibc skip the line;
 * - names match case-insensitively against the canonical name and the aliases;
 * - by-name lookups merge every matching line ("multi on", Debian's default and what
 *   glibc ≥ 2.26 does): gethostbyname keeps the first line's canonical name and appends the
 *   other lines' aliases and differing canonical names to the aliases;
 * - an IPv4 (AF_INET) lookup reads `::1` as 127.0.0.1 and IPv4-mapped IPv6 addresses as IPv4,
 *   and skips other IPv6 lines; an IPv6 lookup reads IPv6 lines only;
 * - gethostbyaddr takes the first line with the address.
 *
 * Every answer carries the line numbers it came from.
 * @module
 */
import { inetNtop4, inetNtop6 } from "./inet_ntop.ts";
import { inetPton4, inetPton6 } from "./inet_pton.ts";
import type { IpLiteral } from "./dns_name.ts";

/** The system's hosts file. */
export const HOSTS_PATH = "/etc/hosts";

/** One usable line of a hosts file. */
export interface HostsLine {
  /** 1-based line number in the file. */
  readonly line: number;
  /** The address family as written. */
  readonly family: 4 | 6;
  /** The address bytes (4 or 16). */
  readonly bytes: Uint8Array;
  /** The canonical (first) name; empty when the line has none. */
  readonly canonical: string;
  /** The other names on the line. */
  readonly aliases: readonly string[];
}

/** An address found in the hosts file, with the line it came from. */
export interface HostsAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly line: number;
}

/** A by-name answer from the hosts file (gethostbyname / getaddrinfo shape). */
export interface HostsNameAnswer {
  readonly canonicalName: string;
  readonly aliases: readonly string[];
  readonly addresses: readonly HostsAddress[];
  /** Every line that matched, in file order. */
  readonly lines: readonly number[];
}

/** A by-address answer from the hosts file (gethostbyaddr shape). */
export interface HostsAddressAnswer {
  readonly hostname: string;
  readonly aliases: readonly string[];
  /** The address asked for, in canonical text form (as gethostbyaddr reports it). */
  readonly addresses: readonly string[];
  readonly line: number;
}

/** Parses hosts-file text into its usable lines (lines with an invalid address are skipped). */
export function parseHostsFile(text: string): HostsLine[] {
  const out: HostsLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf("#");
    const content = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (!content) continue;
    const [address, canonical = "", ...aliases] = content.split(/\s+/);
    const v4 = inetPton4(address);
    const bytes = v4 ?? inetPton6(address);
    if (!bytes) continue;
    out.push({ line: i + 1, family: v4 ? 4 : 6, bytes, canonical, aliases });
  }
  return out;
}

function matches(entry: HostsLine, name: string): boolean {
  const wanted = name.toLowerCase();
  return entry.canonical.toLowerCase() === wanted ||
    entry.aliases.some((a) => a.toLowerCase() === wanted);
}

const isV4Mapped = (b: Uint8Array) =>
  b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
const isV6Loopback = (b: Uint8Array) =>
  b.length === 16 && b.subarray(0, 15).every((x) => x === 0) && b[15] === 1;

/**
 * A line's address as glibc reads it for family `af`: IPv4 lookups map `::1` to 127.0.0.1 and
 * IPv4-mapped addresses to IPv4 (other IPv6 lines drop out); IPv6 lookups see IPv6 lines only.
 */
function addressFor(entry: HostsLine, af: 4 | 6): Uint8Array | undefined {
  if (entry.family === af) return entry.bytes;
  if (af === 6) return undefined;
  if (isV4Mapped(entry.bytes)) return entry.bytes.slice(12);
  if (isV6Loopback(entry.bytes)) return new Uint8Array([127, 0, 0, 1]);
  return undefined;
}

function addressText(bytes: Uint8Array): string {
  return bytes.length === 4 ? inetNtop4(bytes) : inetNtop6(bytes);
}

/**
 * gethostbyname2(name, family) over the hosts file (`gethostbyname_ex` for family 4): the first
 * matching line's canonical name; aliases of every matching line, plus the canonical names of
 * later lines that differ from the first; the addresses of every matching line (duplicates kept,
 * as glibc keeps them). Undefined when no line matches.
 */
export function hostsByName(
  lines: readonly HostsLine[],
  name: string,
  family: 4 | 6,
): HostsNameAnswer | undefined {
  let first: HostsLine | undefined;
  const aliases: string[] = [];
  const addresses: HostsAddress[] = [];
  const matched: number[] = [];
  for (const entry of lines) {
    const bytes = addressFor(entry, family);
    if (!bytes || !matches(entry, name)) continue;
    first ??= entry;
    aliases.push(...entry.aliases);
    if (entry.canonical !== first.canonical) aliases.push(entry.canonical);
    addresses.push({ address: addressText(bytes), family, line: entry.line });
    matched.push(entry.line);
  }
  if (!first) return undefined;
  return { canonicalName: first.canonical, aliases, addresses, lines: matched };
}

/**
 * The hosts-file part of getaddrinfo (glibc's gethostbyname4): every line naming `name`, each
 * address as written (no IPv4/IPv6 mapping), in file order, each address once; `family`
 * keeps one family. Undefined when no line matches.
 */
export function hostsLookup(
  lines: readonly HostsLine[],
  name: string,
  family?: 4 | 6,
): HostsNameAnswer | undefined {
  let canonical: string | undefined;
  const addresses: HostsAddress[] = [];
  const matched: number[] = [];
  const seen = new Set<string>();
  for (const entry of lines) {
    if (!matches(entry, name)) continue;
    canonical ??= entry.canonical;
    matched.push(entry.line);
    if (family && entry.family !== family) continue;
    const address = addressText(entry.bytes);
    if (seen.has(address)) continue;
    seen.add(address);
    addresses.push({ address, family: entry.family, line: entry.line });
  }
  if (canonical === undefined) return undefined;
  const aliases = [
    ...new Set(
      lines.filter((e) => matched.includes(e.line)).flatMap((e) => [e.canonical, ...e.aliases]),
    ),
  ].filter((n) => n !== canonical);
  return { canonicalName: canonical, aliases, addresses, lines: matched };
}

/**
 * gethostbyaddr over the hosts file: the first line holding the address (IPv4 lookups also see
 * `::1` as 127.0.0.1 and `::ffff:a.b.c.d` lines as IPv4). Undefined when none.
 */
export function hostsByAddress(
  lines: readonly HostsLine[],
  ip: IpLiteral,
): HostsAddressAnswer | undefined {
  for (const entry of lines) {
    const bytes = addressFor(entry, ip.family);
    if (!bytes || bytes.length !== ip.bytes.length) continue;
    if (!bytes.every((b, i) => b === ip.bytes[i])) continue;
    return {
      hostname: entry.canonical,
      aliases: [...entry.aliases],
      addresses: [addressText(ip.bytes)],
      line: entry.line,
    };
  }
  return undefined;
}

/**
 * What the name lookups make of DNS replies, as glibc's gethostbyname and gethostbyaddr do:
 * addresses at the end of a CNAME chain (following a chain the server left unfinished), and
 * the host name of a PTR record.
 * @module
 */
import { type IpLiteral, reverseNameOf } from "../core/dns_name.ts";
import type { DnsExchange } from "../core/dns_exchange.ts";
import { dnsStatusText, followChain } from "../core/dns_records.ts";
import { formatServerAddress, serverAddress } from "../core/dns_server.ts";
import type { AddressAnswer, AnswerAddress, LookupStatus } from "../core/name_lookup.ts";
import type { DnsClient } from "../net/dns_client.ts";

/** The addresses of a name over DNS, and the queries that found them. */
export interface DnsAddresses {
  /** The record types asked for: A, AAAA or both. */
  readonly types: readonly string[];
  /** Every query made, in order. */
  readonly exchanges: readonly DnsExchange[];
  /** The end of the CNAME chain of the first type. */
  readonly canonicalName: string;
  /** The names of the chain before it, starting with the name asked. */
  readonly aliases: readonly string[];
  /** The addresses, A before AAAA, with their TTLs. */
  readonly addresses: readonly AnswerAddress[];
}

interface Chain {
  readonly exchanges: DnsExchange[];
  readonly canonicalName: string;
  readonly aliases: string[];
  readonly records: { address: string; ttl: number }[];
}

/** Asks for `type` and follows a CNAME chain the server left unfinished (8 queries at most). */
async function chain(
  client: DnsClient,
  name: string,
  type: string,
  signal: AbortSignal | undefined,
): Promise<Chain> {
  const exchanges: DnsExchange[] = [];
  const aliases: string[] = [];
  let current = name;
  for (let i = 0; i < 8; i++) {
    const exchange = await client.query(current, type, signal);
    exchanges.push(exchange);
    const found = followChain(current, exchange.answers, type);
    for (const a of found.aliases) if (!aliases.includes(a)) aliases.push(a);
    const records = found.records.map((r) => ({ address: r.value as string, ttl: r.ttl }));
    const more = records.length === 0 && found.canonicalName !== current &&
      (exchange.status === "NODATA" || exchange.status === "NOERROR") &&
      !aliases.slice(0, -1).includes(found.canonicalName);
    if (!more) return { exchanges, canonicalName: found.canonicalName, aliases, records };
    current = found.canonicalName;
  }
  return { exchanges, canonicalName: current, aliases, records: [] };
}

/** The A and/or AAAA addresses of `name` (one family when `family` is given). */
export async function dnsAddresses(
  client: DnsClient,
  name: string,
  family: 4 | 6 | undefined,
  signal?: AbortSignal,
): Promise<DnsAddresses> {
  const types = family === 4 ? ["A"] : family === 6 ? ["AAAA"] : ["A", "AAAA"];
  const chains = await Promise.all(types.map((t) => chain(client, name, t, signal)));
  const addresses = chains.flatMap((c, i) =>
    c.records.map((r): AnswerAddress => ({
      address: r.address,
      family: types[i] === "A" ? 4 : 6,
      ttl: r.ttl,
    }))
  );
  return {
    types,
    exchanges: chains.flatMap((c) => c.exchanges),
    canonicalName: chains[0].canonicalName,
    aliases: chains[0].aliases,
    addresses,
  };
}

/**
 * The lookup status of a DNS outcome that leaves the question open: timeout, or failure for
 * anything but an answer, NODATA or NXDOMAIN; undefined for those three.
 */
export function dnsFailureStatus(status: string): LookupStatus | undefined {
  if (status === "NOERROR" || status === "NODATA" || status === "NXDOMAIN") return undefined;
  return status === "TIMEOUT" ? "timeout" : "failure";
}

/** An outcome for people: `SERVFAIL (server failure)`, `TIMEOUT (no answer within 300 ms)`. */
export function dnsReason(exchange: DnsExchange): string {
  return `${exchange.status} (${exchange.reason ?? dnsStatusText(exchange.status)})`;
}

/**
 * gethostbyaddr over DNS: the PTR record of `ip` (IPv4-mapped addresses asked as IPv4), after
 * a CNAME (RFC 2317 delegation), as glibc does; the first PTR is the host name.
 */
export async function reverseDnsAnswer(
  client: DnsClient,
  ip: IpLiteral,
  signal?: AbortSignal,
): Promise<Omit<AddressAnswer, "source" | "timeMs">> {
  const server = serverAddress(client.server);
  const label = formatServerAddress(server);
  const qname = reverseNameOf(ip, true);
  const exchange = await client.query(qname, "PTR", signal);
  const ptr = followChain(qname, exchange.answers, "PTR").records[0];
  const status: LookupStatus = ptr
    ? "ok"
    : exchange.status === "NXDOMAIN"
    ? "not-found"
    : dnsFailureStatus(exchange.status) ?? "no-data";
  return {
    status,
    from: `dns ${label}`,
    server,
    rcode: exchange.rcode,
    ...(ptr ? { hostname: ptr.value as string } : {}),
    aliases: [],
    addresses: ptr ? [{ address: ip.text, family: ip.family }] : [],
    ...(ptr
      ? { ttl: ptr.ttl }
      : { reason: `${dnsReason(exchange)} for ${qname} PTR from ${label}` }),
  };
}

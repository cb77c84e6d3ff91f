/**
 * One DNS query and how it ended, as `netdiag dns` reports it and the DNS client returns it:
 * the question, the server, the transport, the outcome, the records and the time it took.
 * @module
 */
import type { DnsRecord, DnsStatus } from "./dns_records.ts";
import type { ServerAddress } from "./dns_server.ts";
import type { LookupStatus } from "./name_lookup.ts";

/** The header flags of a response. */
export interface DnsHeaderFlags {
  /** Authoritative answer. */
  readonly aa: boolean;
  /** Truncated (the answer did not fit a UDP datagram). */
  readonly tc: boolean;
  /** Recursion desired. */
  readonly rd: boolean;
  /** Recursion available. */
  readonly ra: boolean;
  /** Authentic data (validated by the server). */
  readonly ad: boolean;
  /** Checking disabled. */
  readonly cd: boolean;
}

/** The transport of a DNS answer. */
export type DnsTransport = "udp" | "tcp";

/** One query and how it ended. */
export interface DnsExchange {
  /** The name asked for (without trailing dot). */
  readonly name: string;
  /** The record type asked for (`A`, `MX`, …). */
  readonly recordType: string;
  /** The server asked. */
  readonly server: ServerAddress;
  /** The transport of the final answer. */
  readonly transport: DnsTransport;
  /** The outcome; NODATA when NOERROR carried no record of the type. */
  readonly status: DnsStatus;
  /** The server's response code, when there was a response. */
  readonly rcode?: string;
  /** The response's header flags, when there was a response. */
  readonly flags?: DnsHeaderFlags;
  /** The answer section's records (class IN only). */
  readonly answers: readonly DnsRecord[];
  /** The authority section's records (class IN only). */
  readonly authority: readonly DnsRecord[];
  /** Milliseconds from the first send to the answer (or the give-up). */
  readonly timeMs: number;
  /** What went wrong, for TIMEOUT, UNREACHABLE, MALFORMED and ERROR. */
  readonly reason?: string;
}

/** The lookup status a DNS outcome counts as in a batch summary. */
export function dnsLookupStatus(status: DnsStatus): LookupStatus {
  switch (status) {
    case "NOERROR":
      return "ok";
    case "NXDOMAIN":
      return "not-found";
    case "NODATA":
      return "no-data";
    case "TIMEOUT":
      return "timeout";
    default:
      return "failure";
  }
}

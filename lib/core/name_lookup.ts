/**
 * Results of name lookups (`resolve`, `reverse`, `hostname --fqdn`): which source answered,
 * from where (hosts file and line, DNS server, getaddrinfo), with what, and how long it took.
 * The shapes follow the shared vocabulary of lib/output/document.ts: an address is `address`
 * (text) with `family` (4 or 6), a DNS server `{ address, port, family }`, durations `…Ms`.
 * @module
 */
import type { ServerAddress } from "./dns_server.ts";
import { ExitCode } from "./exit_code.ts";

/** Where an answer comes from: getaddrinfo / gethostbyaddr, the hosts file, or a DNS server. */
export type LookupSource = "system" | "hosts" | "dns";

/** What `resolve` returns per name: every address, gethostbyname's one, or gethostbyname_ex. */
export type ResolveMode = "all" | "first" | "ex";

/**
 * How one lookup ended: an answer, no such name, a name without addresses (of the family),
 * a timeout, or any other failure (server failure, refused, unreachable).
 */
export type LookupStatus = "ok" | "not-found" | "no-data" | "timeout" | "failure";

/** The exit code of a status: 0 ok, 1 not found / no data, 3 timeout or failure. */
export function lookupExitCode(status: LookupStatus): ExitCode {
  if (status === "ok") return ExitCode.Ok;
  if (status === "not-found" || status === "no-data") return ExitCode.Negative;
  return ExitCode.Failure;
}

/** One address of a by-name answer. */
export interface AnswerAddress {
  /** The address as inet_ntop writes it. */
  readonly address: string;
  /** 4 for IPv4, 6 for IPv6. */
  readonly family: 4 | 6;
  /** Hosts-file line it came from. */
  readonly line?: number;
  /** DNS time to live, seconds. */
  readonly ttl?: number;
}

/** Fields every source's answer has. */
export interface AnswerOrigin {
  /** The source that answered. */
  readonly source: LookupSource;
  /** How the lookup ended. */
  readonly status: LookupStatus;
  /** Where the answer came from, for people: `/etc/hosts:1`, `dns 127.0.0.1:53`, `getaddrinfo`. */
  readonly from: string;
  /** The hosts file read, when the hosts file answered. */
  readonly file?: string;
  /** The DNS server asked, when DNS answered. */
  readonly server?: ServerAddress;
  /** The DNS response code (NOERROR, NXDOMAIN, …), when DNS answered. */
  readonly rcode?: string;
  /** Why there is no answer. */
  readonly reason?: string;
  /** Milliseconds the lookup took. */
  readonly timeMs: number;
}

/** One source's answer for a name. */
export interface NameAnswer extends AnswerOrigin {
  /** Hosts-file lines that matched. */
  readonly lines?: readonly number[];
  /** Canonical name (end of the CNAME chain, or the hosts line's first name). */
  readonly canonicalName?: string;
  /** Other names: hosts-file aliases, or the CNAME chain. */
  readonly aliases?: readonly string[];
  /** The addresses found. */
  readonly addresses: readonly AnswerAddress[];
}

/** `resolve`'s result for one name. */
export interface ResolveResult {
  /** The name as given. */
  readonly name: string;
  /** What was asked for: `all`, `first` or `ex`. */
  readonly mode: ResolveMode;
  /** The overall outcome: ok when any source answered. */
  readonly status: LookupStatus;
  /** One answer per source asked, in the order asked. */
  readonly answers: readonly NameAnswer[];
  /** With several sources: whether the answering sources gave the same address set. */
  readonly agree?: boolean;
  /** Milliseconds the lookup took. */
  readonly timeMs: number;
}

/** An address as gethostbyaddr lists it. */
export interface HostAddress {
  /** The address, as inet_ntop writes it. */
  readonly address: string;
  /** 4 for IPv4, 6 for IPv6. */
  readonly family: 4 | 6;
}

/** One source's answer for an address (gethostbyaddr shape). */
export interface AddressAnswer extends AnswerOrigin {
  /** Hosts-file line. */
  readonly line?: number;
  /** The host name found. */
  readonly hostname?: string;
  /** Other names of the host. */
  readonly aliases: readonly string[];
  /** The address asked for, as gethostbyaddr lists it. */
  readonly addresses: readonly HostAddress[];
  /** PTR time to live, seconds. */
  readonly ttl?: number;
}

/** `reverse`'s result for one address (or name, looked up first as CPython does). */
export interface ReverseResult {
  /** The argument as given. */
  readonly query: string;
  /** The address looked up (the argument, or the first address of the name). */
  readonly address?: string;
  /** The family of `address`. */
  readonly family?: 4 | 6;
  /** How the lookup ended. */
  readonly status: LookupStatus;
  /** Why the name given could not be turned into an address. */
  readonly reason?: string;
  /** One answer per source asked, in the order asked. */
  readonly answers: readonly AddressAnswer[];
  /** With several sources: whether the answering sources gave the same host name. */
  readonly agree?: boolean;
  /** Milliseconds the lookup took. */
  readonly timeMs: number;
}

/** `hostname`'s result: gethostname, and with `fqdn` CPython's getfqdn and its lookup. */
export interface HostnameResult {
  /** gethostname(). */
  readonly hostname: string;
  /** getfqdn(), when asked for. */
  readonly fqdn?: string;
  /** What gethostbyaddr(hostname) answered, when the fqdn was asked for. */
  readonly gethostbyaddr?: ReverseResult;
}

/** The summary that ends a batch of lookups. */
export interface LookupSummary {
  /** Inputs looked up. */
  readonly count: number;
  /** Lookups that answered. */
  readonly ok: number;
  /** Lookups with a negative answer (not found, no data). */
  readonly negative: number;
  /** Lookups that failed (timeout, server failure, unreachable). */
  readonly failed: number;
  /** Inputs that were not valid (reported and skipped, never looked up). */
  readonly invalid: number;
  /** Milliseconds the whole batch took. */
  readonly timeMs: number;
}

/**
 * The overall status of several sources' answers: ok when any answered; otherwise a failure or
 * timeout when any failed (the question is then open); otherwise no data when any found the
 * name; otherwise not found.
 */
export function combineStatus(statuses: readonly LookupStatus[]): LookupStatus {
  if (statuses.includes("ok")) return "ok";
  if (statuses.includes("failure")) return "failure";
  if (statuses.includes("timeout")) return "timeout";
  if (statuses.includes("no-data")) return "no-data";
  return "not-found";
}

/** Whether the sources that answered agree (same set of values); true with fewer than two. */
export function answersAgree(sets: readonly (readonly string[])[]): boolean {
  const keys = sets.map((s) => [...new Set(s)].sort().join(" "));
  return keys.every((k) => k === keys[0]);
}

/** Tallies a batch for its summary: the statuses of its lookups and its invalid inputs. */
export function summarise(
  statuses: readonly LookupStatus[],
  invalid: number,
  timeMs: number,
): LookupSummary {
  let ok = 0;
  let negative = 0;
  let failed = 0;
  for (const s of statuses) {
    const code = lookupExitCode(s);
    if (code === ExitCode.Ok) ok++;
    else if (code === ExitCode.Negative) negative++;
    else failed++;
  }
  return { count: statuses.length, ok, negative, failed, invalid, timeMs };
}

/**
 * The exit code of a batch summary: 3 if any failed, else 2 if an input was invalid, else 1 if
 * any was negative, else 0.
 */
export function summaryExitCode(summary: LookupSummary): ExitCode {
  if (summary.failed > 0) return ExitCode.Failure;
  if (summary.invalid > 0) return ExitCode.Usage;
  if (summary.negative > 0) return ExitCode.Negative;
  return ExitCode.Ok;
}

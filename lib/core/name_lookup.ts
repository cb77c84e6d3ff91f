/**
 * Results of name lookups (`resolve`, `reverse`, `hostname --fqdn`): which source answered,
 * from where (hosts file and line, DNS server, getaddrinfo), with what, and how long it took.
 * @module
 */
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

/** One address of an answer. */
export interface AnswerAddress {
  readonly address: string;
  readonly family: 4 | 6;
  /** Hosts-file line it came from. */
  readonly line?: number;
  /** DNS time to live, seconds. */
  readonly ttl?: number;
}

/** Fields every source's answer has. */
export interface AnswerOrigin {
  readonly source: LookupSource;
  readonly status: LookupStatus;
  /** Where the answer came from, for people: `/etc/hosts:1`, `dns 127.0.0.1:53`, `getaddrinfo`. */
  readonly from: string;
  /** The hosts file read, when the hosts file answered. */
  readonly file?: string;
  /** The DNS server asked, when DNS answered. */
  readonly server?: string;
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
  readonly addresses: readonly AnswerAddress[];
}

/** `resolve`'s result for one name. */
export interface ResolveItem {
  readonly name: string;
  readonly mode: ResolveMode;
  /** The overall outcome: ok when any source answered. */
  readonly status: LookupStatus;
  /** One answer per source asked. */
  readonly answers: readonly NameAnswer[];
  /** With several sources: whether the answering sources gave the same address set. */
  readonly agree?: boolean;
  readonly timeMs: number;
}

/** One source's answer for an address (gethostbyaddr shape). */
export interface AddressAnswer extends AnswerOrigin {
  /** Hosts-file line. */
  readonly line?: number;
  readonly hostname?: string;
  readonly aliases: readonly string[];
  /** The address asked for, as gethostbyaddr lists it. */
  readonly addresses: readonly string[];
  /** PTR time to live, seconds. */
  readonly ttl?: number;
}

/** `reverse`'s result for one address (or name, looked up first as CPython does). */
export interface ReverseItem {
  /** The argument as given. */
  readonly query: string;
  /** The address looked up (the argument, or the first address of the name). */
  readonly address?: string;
  readonly status: LookupStatus;
  /** Why the name given could not be turned into an address. */
  readonly reason?: string;
  readonly answers: readonly AddressAnswer[];
  readonly agree?: boolean;
  readonly timeMs: number;
}

/** The summary that ends a batch. */
export interface LookupSummary {
  readonly count: number;
  readonly ok: number;
  readonly negative: number;
  readonly failed: number;
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

/** Tallies a batch for its summary. */
export function summarise(statuses: readonly LookupStatus[], timeMs: number): LookupSummary {
  let ok = 0;
  let negative = 0;
  let failed = 0;
  for (const s of statuses) {
    const code = lookupExitCode(s);
    if (code === ExitCode.Ok) ok++;
    else if (code === ExitCode.Negative) negative++;
    else failed++;
  }
  return { count: statuses.length, ok, negative, failed, timeMs };
}

/** The exit code of a batch summary: 3 if any failed, else 1 if any was negative, else 0. */
export function summaryExitCode(summary: LookupSummary): ExitCode {
  if (summary.failed > 0) return ExitCode.Failure;
  if (summary.negative > 0) return ExitCode.Negative;
  return ExitCode.Ok;
}

/** Formats milliseconds for people: `0.42 ms`, `12.3 ms`, `1500 ms`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

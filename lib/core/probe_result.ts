/**
 * What a port probe reports: one {@link ProbeResult} per probed endpoint and a
 * {@link ProbeSummary}, plus the rules that decide whether the expectation was met and the exit
 * code. Pure types and rules, shared by the probe engine (lib/probe/) and its views.
 *
 * Vocabulary (the result model's, lib/output/document.ts): an IP endpoint is `address` (text)
 * + `port` + `family` (4 or 6), a Unix socket is `path`; durations are milliseconds named `…Ms`.
 * @module
 */
import { ExitCode } from "./exit_code.ts";

/**
 * The state of a probed endpoint, as nmap names them: `open` (connected, or a UDP reply),
 * `closed` (refused; a UDP port-unreachable; a missing Unix socket file), `filtered` (no answer
 * before the timeout), `open|filtered` (UDP silence: open or dropped, indistinguishable),
 * `error` (another system error, in `code`).
 */
export type ProbeState = "open" | "closed" | "filtered" | "open|filtered" | "error";

/** Every {@link ProbeState}, in the order views and counts list them. */
export const PROBE_STATES: readonly ProbeState[] = [
  "open",
  "closed",
  "filtered",
  "open|filtered",
  "error",
];

/** What every result says, whatever its transport. */
export interface ResultBase {
  /** The TARGET this probe came from, as given. */
  readonly target: string;
  /** What the probe found: open, closed, filtered, open|filtered or error. */
  readonly state: ProbeState;
  /**
   * Why: `ECONNREFUSED` (closed), `ETIMEDOUT` (filtered, or UDP silence), `SELF_CONNECT` (a
   * loopback connect that met itself: closed), `ENOENT` (no such socket file), `ENOTSOCK`,
   * `ENOTFOUND` (a name that did not resolve while waiting), `EHOSTUNREACH`, … ; null when open.
   */
  readonly code: string | null;
  /** Milliseconds from the last attempt to its answer (a round trip); null when there was none. */
  readonly latencyMs: number | null;
  /** Attempts made (retries after silence count; waits for a free descriptor do not). */
  readonly attempts: number;
}

/** A probed TCP or UDP endpoint. */
export interface IpProbeResult extends ResultBase {
  /** `tcp` or `udp`. */
  readonly transport: "tcp" | "udp";
  /** The host as given (a name or an address; a block's address for CIDR targets). */
  readonly host: string;
  /**
   * The address probed (the one that answered `open` when a name has several); null when the
   * name did not resolve.
   */
  readonly address: string | null;
  /** The port probed. */
  readonly port: number;
  /** The address family of `address`; null with it. */
  readonly family: 4 | 6 | null;
  /** The port's service name in the services table for the protocol, or null. */
  readonly service: string | null;
  /**
   * UDP only: whether this runtime can see ICMP port-unreachable. When false, a closed UDP port
   * cannot be told apart from a silent open one and is reported `open|filtered`.
   */
  readonly icmpVisible?: boolean;
  /** UDP only, when open: the size of the reply in bytes. */
  readonly replyBytes?: number;
}

/** A probed Unix stream socket. */
export interface UnixProbeResult extends ResultBase {
  /** Always `unix`. */
  readonly transport: "unix";
  /** The socket's path. */
  readonly path: string;
}

/** One probed endpoint. */
export type ProbeResult = IpProbeResult | UnixProbeResult;

/** Result counts per state (`openFiltered` counts `open|filtered`); every key always present. */
export interface ProbeCounts {
  /** Endpoints found open. */
  open: number;
  /** Endpoints found closed. */
  closed: number;
  /** Endpoints that did not answer (TCP). */
  filtered: number;
  /** Endpoints found `open|filtered` (UDP silence). */
  openFiltered: number;
  /** Endpoints whose probe failed otherwise. */
  error: number;
}

/** The state every endpoint is expected to reach: `open` (default) or `closed`. */
export type Expectation = "open" | "closed";

/** Whether every endpoint (`all`, default) or at least one (`any`) must meet the expectation. */
export type Match = "all" | "any";

/** The wait part of a summary (runs of `waitUntilOpen`). */
export interface WaitSummary {
  /** The deadline, in milliseconds from the start. */
  readonly timeoutMs: number;
  /** The pause between rounds. */
  readonly intervalMs: number;
  /** How many probing rounds ran. */
  readonly rounds: number;
  /** Milliseconds from the start until the condition was met or the deadline passed. */
  readonly waitedMs: number;
}

/** The closing summary of a probe run. */
export interface ProbeSummary {
  /** The targets as given. */
  readonly targets: readonly string[];
  /** `tcp` or `udp` (Unix socket targets are stream probes under `tcp`). */
  readonly protocol: "tcp" | "udp";
  /** The state every endpoint was expected in. */
  readonly expect: Expectation;
  /** Whether every endpoint (`all`) or one (`any`) had to meet it. */
  readonly match: Match;
  /** Whether the expectation was met. */
  readonly met: boolean;
  /** How many endpoints the plan holds. */
  readonly planned: number;
  /** How many endpoints were probed (fewer than `planned` only when the run was aborted). */
  readonly probes: number;
  /** The probed endpoints' final states. */
  readonly counts: ProbeCounts;
  /** Milliseconds the run took. */
  readonly elapsedMs: number;
  /** Probes in flight at most (the sliding window, clamped to the open-file limit; all threads). */
  readonly concurrency: number;
  /** Threads the probes ran in: 1, or more for a large TCP scan. */
  readonly threads: number;
  /** The per-attempt timeout. */
  readonly timeoutMs: number;
  /** Extra attempts after silence. */
  readonly retries: number;
  /** At most this many probes started per second, or null for unlimited. */
  readonly rate: number | null;
  /** Null for a one-shot run. */
  readonly wait: WaitSummary | null;
}

/** How far a probe run is. */
export interface ProbeProgress {
  /** Endpoints in the plan (0 until it is made). */
  readonly planned: number;
  /** Endpoints probed in the current round. */
  readonly done: number;
  /** Endpoints in the expected state so far. */
  readonly satisfied: number;
  /** The round (1 for a one-shot run; 0 before the first). */
  readonly round: number;
  /** Milliseconds left before a wait's deadline; null for a one-shot run. */
  readonly remainingMs: number | null;
}

/** Zero counts. */
export function emptyCounts(): ProbeCounts {
  return { open: 0, closed: 0, filtered: 0, openFiltered: 0, error: 0 };
}

/** Adds one state to the counts. */
export function countState(counts: ProbeCounts, state: ProbeState): void {
  if (state === "open|filtered") counts.openFiltered++;
  else counts[state]++;
}

/** The count of one state. */
export function countOf(counts: ProbeCounts, state: ProbeState): number {
  return state === "open|filtered" ? counts.openFiltered : counts[state];
}

/** Whether a result meets the expectation (`open` needs state open, `closed` state closed). */
export function meetsExpectation(result: ProbeResult, expect: Expectation): boolean {
  return result.state === expect;
}

/** Whether `satisfied` of `total` endpoints meet the condition (`all` needs at least one). */
export function conditionMet(satisfied: number, total: number, match: Match): boolean {
  return match === "any" ? satisfied > 0 : total > 0 && satisfied === total;
}

/**
 * The exit code of a probe run: 0 when the condition was met; otherwise 3 when a one-shot run
 * hit an error state (an operational failure such as an unreachable network), else 1. A wait
 * that reaches its deadline is 1.
 */
export function probeExitCode(summary: ProbeSummary): ExitCode {
  if (summary.met) return ExitCode.Ok;
  if (summary.wait === null && summary.counts.error > 0) return ExitCode.Failure;
  return ExitCode.Negative;
}

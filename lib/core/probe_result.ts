/**
 * What `netdiag probe` reports: one {@link ProbeResult} per probed endpoint and a
 * {@link ProbeSummary}, plus the rules that decide whether the expectation was met and the exit
 * code.
 * @module
 */
import { ExitCode } from "./exit_code.ts";

/**
 * The state of a probed endpoint, as nmap names them: `open` (connected, or a UDP reply),
 * `closed` (refused; a UDP port-unreachable), `filtered` (no TCP answer before the timeout),
 * `open|filtered` (UDP silence: open or dropped, indistinguishable), `error` (another system
 * error, in `code`).
 */
export type ProbeState = "open" | "closed" | "filtered" | "open|filtered" | "error";

/** The transport a probe used. */
export type ProbeTransport = "tcp" | "udp" | "unix";

/** One probed endpoint. */
export interface ProbeResult {
  /** The TARGET operand this probe came from, as given. */
  readonly target: string;
  readonly transport: ProbeTransport;
  /** The host as given (name or address); null for Unix sockets. */
  readonly host: string | null;
  /** The IP address probed (the one that answered `open` when a name has several). */
  readonly address: string | null;
  readonly port: number | null;
  /** The Unix socket path; null for TCP and UDP. */
  readonly path: string | null;
  /** The port's service name from the services table for this protocol, or null. */
  readonly service: string | null;
  readonly state: ProbeState;
  /**
   * Why: `ECONNREFUSED` (closed), `ETIMEDOUT` (filtered, or UDP silence), `SELF_CONNECT` (a
   * loopback connect that met itself: closed), `ENOENT` (no such socket file), `ENOTSOCK`,
   * `EHOSTUNREACH`, … ; null when open.
   */
  readonly code: string | null;
  /** Milliseconds until the answer of the last attempt (null for errors before sending). */
  readonly latencyMs: number | null;
  /** Attempts made (retries after silence count; EMFILE waits do not). */
  readonly attempts: number;
  /**
   * UDP only: whether this runtime can see ICMP port-unreachable. When false, a closed UDP port
   * cannot be told apart from a silent open one and is reported `open|filtered`.
   */
  readonly icmpVisible?: boolean;
  /** UDP only, when open: the size of the reply. */
  readonly replyBytes?: number;
}

/** Result counts per state. */
export interface ProbeCounts {
  open: number;
  closed: number;
  filtered: number;
  openFiltered: number;
  error: number;
}

/** The state every endpoint is expected to reach: `--until open` (default) or `closed`. */
export type Expectation = "open" | "closed";

/** Whether every endpoint (`all`, default) or at least one (`any`) must meet the expectation. */
export type Match = "all" | "any";

/** The `--wait` part of a summary. */
export interface WaitSummary {
  /** The deadline given with --wait, in milliseconds. */
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** How many probing rounds ran. */
  readonly rounds: number;
  /** Milliseconds from the start until the condition was met or the deadline passed. */
  readonly waitedMs: number;
}

/** The closing summary of a probe run (the `--json` document adds `results`). */
export interface ProbeSummary {
  /** The TARGET operands as given. */
  readonly targets: readonly string[];
  /** `tcp` or `udp` (Unix socket targets are stream probes under `tcp`). */
  readonly protocol: "tcp" | "udp";
  readonly expect: Expectation;
  readonly match: Match;
  /** Whether the expectation was met: the exit code is 0 exactly when true. */
  readonly met: boolean;
  /** How many endpoints were probed. */
  readonly probes: number;
  readonly counts: ProbeCounts;
  readonly elapsedMs: number;
  /**
   * The sliding window's size (after clamping to the open-file limit): with several threads, the
   * sum of their windows.
   */
  readonly concurrency: number;
  /** Threads the probes ran in: 1, or more for a large TCP scan (see `--threads`). */
  readonly threads: number;
  readonly timeoutMs: number;
  readonly retries: number;
  /** `--rate` in probes per second, or null for unlimited. */
  readonly rate: number | null;
  readonly wait: WaitSummary | null;
  /** The command to run after success (`-- cmd args`), or null. */
  readonly command: readonly string[] | null;
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

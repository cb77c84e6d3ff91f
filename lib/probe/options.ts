/**
 * The options of the probe engine: what to probe and how ({@link ProbeOptions}, for `probe`),
 * and how long to keep at it ({@link WaitOptions}, for `waitUntilOpen`).
 * @module
 */
import type { Expectation, Match } from "../core/probe_result.ts";
import type { PortToken } from "../core/port_list.ts";
import type { ServiceEntry } from "../core/services.ts";

/** A services table and where it came from (a file's path, or "embedded"). */
export interface ServicesTable {
  /** Where the table came from: a file's path, or "embedded". */
  readonly source: string;
  /** Its entries, in file order. */
  readonly entries: readonly ServiceEntry[];
}

/** Options of `probe()` (and, with {@link WaitOptions}, of `waitUntilOpen()`). */
export interface ProbeOptions {
  /**
   * What to probe: `host:port`, `host:lo-hi`, `host:22,80,http`, `[v6addr]:port`, `unix:/path`,
   * a bare host or IPv6 address (with {@link ports}), or an IPv4 CIDR block up to /16
   * (`10.0.0.0/24:80`). A host name is resolved once (the system resolver); its addresses are
   * tried in order until one is open.
   */
  readonly targets: readonly string[];
  /**
   * Ports for targets that name none: `22,80,8000-8100,http` as text or parsed tokens. Default
   * none: such a target is an error.
   */
  readonly ports?: string | readonly PortToken[];
  /** `tcp` (default; Unix targets are stream connects) or `udp` (a datagram, then a reply). */
  readonly protocol?: "tcp" | "udp";
  /**
   * Only IPv4 (4) or only IPv6 (6) addresses of a host name; default both. An IP literal or
   * CIDR block of the other family is an InputError; a name with no address of the family
   * fails as a name that does not resolve (`cannot resolve "name": no IPv6 address`).
   */
  readonly family?: 4 | 6;
  /** The UDP payload; default empty. */
  readonly payload?: Uint8Array;
  /**
   * Per-attempt timeout in milliseconds; default 1000. No answer by then is `filtered` (TCP) or
   * `open|filtered` (UDP).
   */
  readonly timeoutMs?: number;
  /** Extra attempts after silence, never after a refusal; default 0. */
  readonly retries?: number;
  /** At most this many probes started per second; default unlimited. Keeps the scan in one thread. */
  readonly rate?: number;
  /**
   * Probes in flight at once over all threads; default {@link DEFAULT_CONCURRENCY} per thread
   * for the adapter (at most {@link MAX_CONCURRENCY} per thread), always clamped to the
   * open-file limit.
   */
  readonly concurrency?: number;
  /**
   * Threads for a TCP scan; default one per CPU core, at most 4, when each gets at least 4,096
   * probes. UDP runs, runs with {@link rate} and waits use one thread.
   */
  readonly threads?: number;
  /** The state every endpoint is expected in; default `open`. */
  readonly expect?: Expectation;
  /** Whether every endpoint (`all`, default) or one (`any`) must be in it. */
  readonly match?: Match;
  /**
   * The services table: service names in port lists, and each result's `service`. Default the
   * built-in copy of Debian netbase's table.
   */
  readonly services?: ServicesTable;
  /**
   * The open-file limit to stay within (`ulimit -n`); default: the process's, asked once for
   * plans of more than 16 endpoints.
   */
  readonly openFileLimit?: number;
}

/** Options of `waitUntilOpen()`: a probe repeated in rounds until its condition holds. */
export interface WaitOptions extends Omit<ProbeOptions, "threads"> {
  /** Give up this many milliseconds after the start (no attempt outlives it). */
  readonly waitMs: number;
  /** The pause between rounds; default 500. */
  readonly intervalMs?: number;
}

/** Defaults of {@link ProbeOptions}. */
export const PROBE_DEFAULTS = {
  timeoutMs: 1000,
  retries: 0,
  expect: "open",
  match: "all",
  intervalMs: 500,
} as const;

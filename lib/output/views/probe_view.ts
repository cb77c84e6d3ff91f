/**
 * The view of `probe`: a table of endpoints in plan order (for scans only the open ones unless
 * asked for all), a summary line, the progress line, and the document's summary. Targets come
 * from the command line, so hosts and paths go through escapeTerminal before they are shown.
 * @module
 */
import {
  countOf,
  PROBE_STATES,
  probeExitCode,
  type ProbeProgress,
  type ProbeResult,
  type ProbeState,
  type ProbeSummary,
} from "../../core/probe_result.ts";
import { escapeTerminal as t } from "../../core/terminal_text.ts";
import type { DocumentStreamView } from "../document_emit.ts";
import type { Style } from "../style.ts";
import { formatTable } from "../table.ts";
import { formatBytes, formatDuration, formatDurationSetting } from "../units.ts";

/** The summary of a `probe` document: the run's, and the program to run after `--`. */
export interface ProbeDocumentSummary extends ProbeSummary {
  /** The program run once the condition is met (`probe … -- cmd args`), or null. */
  readonly program: readonly string[] | null;
}

/** How the human table is shown. */
export interface ProbeTableOptions {
  /** Whether the targets were a scan (ranges, blocks): only open rows unless `showAll`. */
  readonly scan: boolean;
  /** Every state, also for scans. */
  readonly showAll: boolean;
  /** Open endpoints only, also for single ones (`--open`; the results are filtered already). */
  readonly openOnly?: boolean;
  /** The results in plan order, read when the summary is shown. */
  readonly results: () => readonly ProbeResult[];
}

/** The endpoint as a person reads it: `127.0.0.1:22`, `[::1]:53`, `db:5432 (10.0.0.5)`, a path. */
export function endpointText(r: ProbeResult): string {
  if (r.transport === "unix") return `unix:${t(r.path)}`;
  const host = r.host || r.address || "";
  const hostPort = host.includes(":") ? `[${t(host)}]:${r.port}` : `${t(host)}:${r.port}`;
  return r.address !== null && r.address !== host ? `${hostPort} (${r.address})` : hostPort;
}

const CODE_REASONS: Readonly<Record<string, string>> = {
  SELF_CONNECT: "self-connect (nothing listening)",
  ENOTFOUND: "host not resolved",
  ENOENT: "no such socket file",
  ECONNREFUSED: "refused",
  ECONNRESET: "connection reset by peer",
  ENOTSOCK: "not a socket",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EACCES: "permission denied",
  EADDRNOTAVAIL: "address not available",
  EMFILE: "too many open files",
  EINVAL: "invalid argument",
};

/** Why a result has its state, in a few words. */
export function reasonText(r: ProbeResult, timeoutMs: number): string {
  if (r.code === null) {
    return r.transport === "udp" && r.replyBytes !== undefined
      ? `reply of ${formatBytes(r.replyBytes)}`
      : "connected";
  }
  if (r.code === "ETIMEDOUT") {
    if (r.state !== "open|filtered") return `no answer within ${formatDurationSetting(timeoutMs)}`;
    return r.transport === "udp" && r.icmpVisible === false
      ? "no reply (this runtime cannot see ICMP port-unreachable)"
      : "no reply";
  }
  return CODE_REASONS[r.code] ?? t(r.code);
}

function paintState(state: ProbeState, style: Style): string {
  switch (state) {
    case "open":
      return style.green(state);
    case "closed":
      return style.red(state);
    case "error":
      return style.bold(style.red(state));
    default:
      return style.yellow(state);
  }
}

/** The table of results (empty when there is no row to show). */
export function probeTable(
  results: readonly ProbeResult[],
  timeoutMs: number,
  style: Style,
): string {
  if (results.length === 0) return "";
  return formatTable(
    ["ENDPOINT", "STATE", "SERVICE", "LATENCY", "REASON"],
    results.map((r) => [
      endpointText(r),
      paintState(r.state, style),
      (r.transport !== "unix" && r.service) || "-",
      r.latencyMs === null ? "-" : formatDuration(r.latencyMs),
      reasonText(r, timeoutMs),
    ]),
    { align: ["left", "left", "left", "right", "left"] },
  );
}

/** The summary line: how many endpoints, how long, the counts, and a wait's verdict. */
export function summaryText(
  s: ProbeSummary,
  table: Omit<ProbeTableOptions, "results">,
  interrupted = false,
): string {
  const parts = PROBE_STATES.filter((state) => countOf(s.counts, state) > 0)
    .map((state) => `${countOf(s.counts, state)} ${state}`);
  const noun = s.planned === 1 ? "endpoint" : "endpoints";
  const of = s.probes < s.planned ? `${s.probes} of ${s.planned}` : `${s.probes}`;
  let line = `probed ${of} ${noun} in ${formatDuration(s.elapsedMs)}: ${
    parts.join(", ") || "none"
  }`;
  const hidden = s.probes - s.counts.open;
  if (table.openOnly && hidden > 0) line += ` (${hidden} not open not shown)`;
  else if (table.scan && !table.showAll && hidden > 0) {
    line += ` (${hidden} not open not shown; --all shows them)`;
  }
  if (interrupted) line += "; interrupted";
  if (s.wait) {
    const rounds = `${s.wait.rounds} ${s.wait.rounds === 1 ? "round" : "rounds"}`;
    const after = `after ${formatDuration(s.wait.waitedMs)} (${rounds})`;
    const want = `${s.match === "any" ? "any" : "every"} endpoint ${s.expect}`;
    line += s.met
      ? `\nwait: ${want} ${after}`
      : `\nwait: ${interrupted ? "stopped" : "deadline reached"} ${after}; wanted ${want}`;
  }
  return line + "\n";
}

/** The progress line of a run on a terminal: a scan's share done, or a wait's round. */
export function progressText(p: ProbeProgress, expect: string): string {
  if (p.remainingMs === null) {
    const pct = p.planned > 0 ? Math.floor((p.done / p.planned) * 100) : 0;
    return `probing ${p.done}/${p.planned} (${pct}%), ${p.satisfied} ${expect}`;
  }
  const left = Math.ceil(p.remainingMs / 1000);
  return `waiting: round ${p.round}, ${p.satisfied}/${p.planned} ${expect}, ${left}s left`;
}

/**
 * The stream view of `probe`. Human output is the table, in plan order, and the summary line,
 * both written with the summary (so `item` shows nothing); `--json` and `--ndjson` carry the
 * results and {@link ProbeDocumentSummary}.
 */
export function probeView(
  table: ProbeTableOptions,
): DocumentStreamView<ProbeResult, ProbeDocumentSummary> {
  return {
    command: "probe",
    item: () => "",
    summary(summary, style, interrupted) {
      const results = table.results();
      const shown = table.scan && !table.showAll
        ? results.filter((r) => r.state === "open")
        : results;
      let text = probeTable(shown, summary.timeoutMs, style);
      if (
        summary.planned > 1 || summary.wait || table.scan || interrupted ||
        (table.openOnly && results.length === 0)
      ) {
        text += style.dim(summaryText(summary, table, interrupted));
      }
      return text;
    },
    exitCode: probeExitCode,
  };
}

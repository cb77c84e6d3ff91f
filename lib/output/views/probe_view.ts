import type { ExitCode } from "../../core/exit_code.ts";
import {
  probeExitCode,
  type ProbeResult,
  type ProbeState,
  type ProbeSummary,
} from "../../core/probe_result.ts";
import { describeNetErrorCode, type NetErrorCode } from "../../net/types.ts";
import type { View } from "../emit.ts";
import type { Style } from "../style.ts";
import { formatTable } from "../table.ts";

/** What the human view of `probe` shows: the summary, the results in plan order, and how. */
export interface ProbeReport {
  readonly summary: ProbeSummary;
  /** Results in plan order. */
  readonly results: readonly ProbeResult[];
  /** Whether the targets were a scan (ranges, blocks): only open rows unless `showAll`. */
  readonly scan: boolean;
  /** `--all`: every state, also for scans. */
  readonly showAll: boolean;
}

/** The endpoint as a person reads it: `127.0.0.1:22`, `[::1]:53`, `db:5432 (10.0.0.5)`, a path. */
export function endpointText(r: ProbeResult): string {
  if (r.transport === "unix") return `unix:${r.path}`;
  const host = r.host ?? r.address ?? "";
  const hostPort = host.includes(":") ? `[${host}]:${r.port}` : `${host}:${r.port}`;
  return r.address !== null && r.address !== host ? `${hostPort} (${r.address})` : hostPort;
}

/** Why a result has its state, in a few words. */
export function reasonText(r: ProbeResult, timeoutMs: number): string {
  switch (r.code) {
    case null:
      return r.replyBytes !== undefined ? `reply of ${r.replyBytes} bytes` : "connected";
    case "SELF_CONNECT":
      return "self-connect (nothing listening)";
    case "ENOTFOUND":
      return "host not resolved";
    case "ETIMEDOUT":
      if (r.state === "open|filtered") {
        return r.icmpVisible === false
          ? "no reply (this runtime cannot see ICMP port-unreachable)"
          : "no reply";
      }
      return `no answer within ${formatMs(timeoutMs)}`;
    case "ENOENT":
      return "no such socket file";
    default:
      return describeNetErrorCode(r.code as NetErrorCode) === "unknown error"
        ? r.code
        : describeNetErrorCode(r.code as NetErrorCode);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${Number(ms.toFixed(2))} ms`;
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

/** The one-line summary: how many endpoints, how long, the counts, and the verdict. */
export function summaryLine(report: ProbeReport): string {
  const { summary: s, results, scan, showAll } = report;
  const parts = [
    [s.counts.open, "open"],
    [s.counts.closed, "closed"],
    [s.counts.filtered, "filtered"],
    [s.counts.openFiltered, "open|filtered"],
    [s.counts.error, "error"],
  ].filter(([n]) => (n as number) > 0).map(([n, what]) => `${n} ${what}`);
  const noun = s.probes === 1 ? "endpoint" : "endpoints";
  let line = `probed ${s.probes} ${noun} in ${formatMs(s.elapsedMs)}: ${
    parts.join(", ") || "none"
  }`;
  const hidden = results.length - s.counts.open;
  if (scan && !showAll && hidden > 0) line += ` (${hidden} not open not shown; --all shows them)`;
  if (s.wait) {
    const after = `after ${formatMs(s.wait.waitedMs)} (${s.wait.rounds} ${
      s.wait.rounds === 1 ? "round" : "rounds"
    })`;
    const want = `${s.match === "any" ? "any" : "every"} endpoint ${s.expect}`;
    line += s.met
      ? `\nwait: ${want} ${after}`
      : `\nwait: deadline reached ${after}; wanted ${want}`;
  }
  return line + "\n";
}

/** Human view of `netdiag probe`: a table (for scans only the open rows unless `--all`). */
export const probeView: View<ProbeReport> = {
  human(report, style) {
    const { summary, results, scan, showAll } = report;
    const shown = scan && !showAll ? results.filter((r) => r.state === "open") : results;
    let text = "";
    if (shown.length > 0) {
      text = formatTable(
        ["ENDPOINT", "STATE", "SERVICE", "LATENCY", "REASON"],
        shown.map((r) => [
          endpointText(r),
          paintState(r.state, style),
          r.service ?? "-",
          r.latencyMs === null ? "-" : formatMs(r.latencyMs),
          reasonText(r, summary.timeoutMs),
        ]),
        { align: ["left", "left", "left", "right", "left"] },
      );
    }
    if (results.length > 1 || summary.wait || scan) text += style.dim(summaryLine(report));
    return text;
  },
  exitCode: (report): ExitCode => probeExitCode(report.summary),
};

import type { ListeningRecord, ServeTotals, SessionRecord } from "../../core/echo_serve.ts";
import {
  type EchoConnectionResult,
  echoTestExitCode,
  type EchoTestResult,
} from "../../core/echo_test.ts";
import { escapeTerminal } from "../../core/terminal_text.ts";
import type { DocumentStreamView } from "../document_emit.ts";
import { addressFamily, formatHostPort } from "../format.ts";
import type { Style } from "../style.ts";
import { formatBytes, formatDuration, formatRate } from "../units.ts";

/** `echo serve`'s command name in its documents. */
export const ECHO_SERVE = "echo serve";

/** A bound socket as the document lists it: address, port and family, or the path. */
export type ListeningResult =
  | {
    readonly transport: "tcp" | "udp";
    readonly address: string;
    readonly port: number;
    readonly family: 4 | 6;
  }
  | { readonly transport: "unix"; readonly path: string };

/** `echo serve`'s totals as the document's summary (without the record's `type`). */
export type ServeSummary = Omit<ServeTotals, "type">;

/** A bound socket as a result of `echo serve`'s document (and its `listening` NDJSON line). */
export function listeningResult(record: ListeningRecord): ListeningResult {
  if (record.transport === "unix") return { transport: "unix", path: record.path };
  const { transport, address, port } = record;
  return { transport, address, port, family: addressFamily(address) };
}

/** The totals as `echo serve`'s summary. */
export function serveSummary(totals: ServeTotals): ServeSummary {
  const { type: _, ...summary } = totals;
  return summary;
}

/** The stdout line for a bound socket: `listening tcp 127.0.0.1:7007` (machine-readable). */
export function listeningLine(record: ListeningRecord): string {
  if (record.transport === "unix") return `listening unix ${record.path}\n`;
  return `listening ${record.transport} ${formatHostPort(record.address, record.port)}\n`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The stderr line for a finished client session (the peer's text escaped for the terminal). */
export function sessionLine(record: SessionRecord, style: Style): string {
  const end = record.end === "closed" ? record.end : style.yellow(record.end);
  const error = record.error ? `: ${escapeTerminal(record.error)}` : "";
  const unit = record.transport === "udp" ? "datagram" : "message";
  return `${record.transport} ${escapeTerminal(record.peer)} ${end}${error}; ` +
    `${formatBytes(record.bytesIn)} in, ${formatBytes(record.bytesOut)} out, ` +
    `${plural(record.messages, unit)}, ${formatDuration(record.durationMs)}\n`;
}

/** The stdout lines of the totals at shutdown. */
export function totalsText(totals: ServeTotals): string {
  const parts = [
    `${plural(totals.connections, "connection")}` +
    ` (peak ${totals.peakConnections}, ${totals.rejected} rejected)`,
    `${plural(totals.datagrams, "datagram")} from ${plural(totals.udpPeers, "UDP peer")}`,
    `${formatBytes(totals.bytesIn)} in, ${formatBytes(totals.bytesOut)} out`,
  ];
  if (totals.protocolErrors) parts.push(`${totals.protocolErrors} protocol errors`);
  if (totals.idleTimeouts) parts.push(`${totals.idleTimeouts} idle timeouts`);
  if (totals.stalled) parts.push(`${totals.stalled} stalled`);
  if (totals.evicted) parts.push(`${totals.evicted} evicted`);
  if (totals.udpDrops) {
    parts.push(`${totals.udpDrops} datagrams dropped by the kernel (receive buffer full)`);
  }
  return `totals: ${parts.join("; ")}; up ${formatDuration(totals.uptimeMs)}\n`;
}

/** `echo test`'s summary: the whole test's measurement (interruption is the document's). */
export type EchoTestSummary = Omit<EchoTestResult, "interrupted">;

function hexByte(b: number | null): string {
  return b === null ? "nothing" : `0x${b.toString(16).padStart(2, "0")}`;
}

/** The human report of an `echo test`. */
export function echoTestText(r: EchoTestSummary, style: Style, interrupted = false): string {
  const stream = r.pattern === "stream";
  const kind = stream ? "stream" : `${r.size}-byte messages`;
  const lines = [
    style.bold(`echo test ${escapeTerminal(r.target)}`) +
    ` (${r.transport}${r.framed ? ", framed" : ""}, ${
      plural(r.connections, "connection")
    }, ${kind})`,
    stream
      ? `  bytes     ${r.bytesSent} sent, ${r.bytesVerified} verified in ${
        formatDuration(r.durationMs)
      }`
      : `  messages  ${r.messagesSent} sent, ${r.messagesVerified} verified in ${
        formatDuration(r.durationMs)
      }`,
  ];
  if (r.rtt) {
    const t = r.rtt;
    lines.push(
      `  rtt ms    min ${t.minMs}  mean ${t.meanMs}  p50 ${t.p50Ms}  p90 ${t.p90Ms}  ` +
        `p99 ${t.p99Ms}  max ${t.maxMs}  stddev ${t.stddevMs}`,
    );
  }
  lines.push(
    `  rate      ${stream ? "" : `${r.messagesPerSecond} msgs/s, `}${formatRate(r.bytesPerSecond)}`,
  );
  if (r.udp) {
    lines.push(
      `  udp       lost ${r.udp.lost} (${r.udp.lossPercent}%), duplicates ${r.udp.duplicates}, ` +
        `reordered ${r.udp.reordered}`,
    );
  }
  if (r.mismatch) {
    const m = r.mismatch;
    lines.push(style.red(
      `MISMATCH: connection ${m.connection}, ${stream ? "read" : "message"} ${m.message}: ` +
        `first difference at byte offset ${m.offset} ` +
        `(sent ${hexByte(m.expected)}, got ${hexByte(m.actual)})`,
    ));
  }
  if (r.error) lines.push(style.red(`error: ${escapeTerminal(r.error)}`));
  if (interrupted) lines.push(style.yellow("interrupted"));
  return lines.join("\n") + "\n";
}

/**
 * `echo test`: nothing per connection for people, then the report; the document's results are
 * the connections (each as it ends), its summary the whole test's measurement.
 */
export const echoTestView: DocumentStreamView<EchoConnectionResult, EchoTestSummary> = {
  command: "echo test",
  item: () => "",
  summary: echoTestText,
  exitCode: echoTestExitCode,
};

import type { ListeningRecord, ServeTotals, SessionRecord } from "../../core/echo_serve.ts";
import { echoTestExitCode, type EchoTestResult } from "../../core/echo_test.ts";
import { escapeTerminal } from "../../core/terminal_text.ts";
import { formatAddress } from "../../net/types.ts";
import type { View } from "../emit.ts";
import type { Style } from "../style.ts";

/** Bytes as `512 B`, `1.5 kB`, `12.3 MB` (powers of 1000). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

/** Milliseconds as `850 ms` or `12.3 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The stdout line for a bound socket: `listening tcp 127.0.0.1:7007` (machine-readable). */
export function listeningLine(record: ListeningRecord): string {
  if (record.transport === "unix") return `listening unix ${record.path}\n`;
  return `listening ${record.transport} ${
    formatAddress({ hostname: record.address, port: record.port })
  }\n`;
}

/** The stderr line for a finished client session (the peer's text escaped for the terminal). */
export function sessionLine(record: SessionRecord, style: Style): string {
  const end = record.end === "closed" ? record.end : style.yellow(record.end);
  const error = record.error ? `: ${escapeTerminal(record.error)}` : "";
  const unit = record.transport === "udp" ? "datagram" : "message";
  return `${record.transport} ${escapeTerminal(record.peer)} ${end}${error}; ${
    formatBytes(record.bytesIn)
  } in, ` +
    `${formatBytes(record.bytesOut)} out, ${record.messages} ${unit}${
      record.messages === 1 ? "" : "s"
    }, ${formatDuration(record.durationMs)}\n`;
}

/** The stdout lines of the totals at shutdown. */
export function totalsText(totals: ServeTotals): string {
  const parts = [
    `${totals.connections} connection${totals.connections === 1 ? "" : "s"}` +
    ` (peak ${totals.peakConnections}, ${totals.rejected} rejected)`,
    `${totals.datagrams} datagram${totals.datagrams === 1 ? "" : "s"} from ${totals.udpPeers} ` +
    `UDP peer${totals.udpPeers === 1 ? "" : "s"}`,
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

function hexByte(b: number | null): string {
  return b === null ? "nothing" : `0x${b.toString(16).padStart(2, "0")}`;
}

/** Human view of an `echo test` result. */
export const echoTestView: View<EchoTestResult> = {
  human(r, style) {
    const lines: string[] = [];
    const kind = r.pattern === "stream" ? "stream" : `${r.size}-byte messages`;
    lines.push(
      style.bold(`echo test ${r.target}`) +
        ` (${r.transport}${r.framed ? ", framed" : ""}, ${r.connections} connection${
          r.connections === 1 ? "" : "s"
        }, ${kind})`,
    );
    if (r.pattern === "stream") {
      lines.push(
        `  bytes     ${r.bytesSent} sent, ${r.bytesVerified} verified in ${r.seconds} s`,
      );
    } else {
      lines.push(
        `  messages  ${r.messagesSent} sent, ${r.messagesVerified} verified in ${r.seconds} s`,
      );
    }
    if (r.rtt) {
      const t = r.rtt;
      lines.push(
        `  rtt ms    min ${t.minMs}  mean ${t.meanMs}  p50 ${t.p50Ms}  p90 ${t.p90Ms}  ` +
          `p99 ${t.p99Ms}  max ${t.maxMs}  stddev ${t.stddevMs}`,
      );
    }
    lines.push(
      `  rate      ${
        r.pattern === "stream" ? "" : `${r.messagesPerSecond} msgs/s, `
      }${r.mbPerSecond} MB/s`,
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
        `MISMATCH: connection ${m.connection}, ${
          r.pattern === "stream" ? "read" : "message"
        } ${m.message}: first difference at byte offset ${m.offset} ` +
          `(sent ${hexByte(m.expected)}, got ${hexByte(m.actual)})`,
      ));
    }
    if (r.error) lines.push(style.red(`error: ${escapeTerminal(r.error)}`));
    if (r.interrupted) lines.push(style.yellow("interrupted"));
    return lines.join("\n") + "\n";
  },
  exitCode: echoTestExitCode,
};

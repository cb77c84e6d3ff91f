import type { Stall } from "../../core/progress_rule.ts";
import { escapeTerminal, quoteForTerminal } from "../../core/terminal_text.ts";
import type { ReceivedFile, ReceiveSummary, SendSummary, SentFile } from "../../core/transfer.ts";
import { receiveExitCode, sendExitCode } from "../../core/transfer.ts";
import type { StreamView } from "../emit.ts";
import type { Style } from "../style.ts";

/** Formats a byte count for reports: `512 B`, `1.50 kB`, `10.0 MB`, `1.07 GB` (powers of 1000). */
export function formatByteCount(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Formats milliseconds for reports: `0.42 ms`, `12.3 ms`, `1.52 s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** What a progress line shows. */
export interface Progress {
  /** The file being sent. */
  readonly name: string;
  /** Bytes of it sent so far. */
  readonly done: number;
  /** Its size. */
  readonly total: number;
  /** Seconds since the transfer began. */
  readonly seconds: number;
  /** Terminal width in columns; default 80. */
  readonly columns?: number;
}

/**
 * A one-line progress bar for a terminal (no newline; the caller writes it after `\r`):
 * `report.pdf [##########----------]  50%  5.00 MB/10.0 MB  41.2 MB/s`.
 */
export function formatProgress(p: Progress): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const rate = p.seconds > 0 ? p.done / 1e6 / p.seconds : 0;
  const tail = ` ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
    `${formatByteCount(p.done)}/${formatByteCount(p.total)}  ${rate.toFixed(1)} MB/s`;
  const width = 20;
  const filled = Math.round(fraction * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const room = Math.max(8, (p.columns ?? 80) - 1 - bar.length - tail.length - 1);
  const name = p.name.length > room ? p.name.slice(0, room - 1) + "…" : p.name;
  return `${name} ${bar}${tail}`;
}

const shortHash = (sha256?: string) => sha256 ? `sha256 ${sha256.slice(0, 12)}…` : "";

/**
 * Human view of `send`: one line per file, then the totals and the rate. The receiver's error
 * text is shown through `escapeTerminal` (and names quoted with `quoteForTerminal`), so nothing a
 * peer says can act on the terminal; `--json` keeps both exact.
 */
export const sendView: StreamView<SentFile, SendSummary> = {
  item(file: SentFile, style: Style) {
    const status = file.status === "verified"
      ? style.green("verified")
      : file.status === "refused"
      ? style.red("refused ")
      : style.red("failed  ");
    const detail = file.status === "verified"
      ? `${shortHash(file.sha256)}  ${file.mbPerSecond.toFixed(1)} MB/s`
      : escapeTerminal(file.error ?? "");
    return `${status}  ${quoteForTerminal(file.name)}  ${formatByteCount(file.size)}  ${detail}\n`;
  },
  summary(s: SendSummary, style: Style) {
    const verdict = s.verified === s.total ? style.green(`all ${s.total} verified`) : style.red(
      `${s.verified} of ${s.total} verified` +
        (s.refused ? `, ${s.refused} refused` : "") +
        (s.failed ? `, ${s.failed} failed` : ""),
    );
    return `${s.total} file${s.total === 1 ? "" : "s"}, ${formatByteCount(s.bytes)} to ` +
      `${s.address} in ${s.seconds.toFixed(2)} s (${s.mbPerSecond.toFixed(1)} MB/s): ${verdict}\n`;
  },
  exitCode: sendExitCode,
};

/**
 * Human view of `receive`: one line per file as it is settled, then the totals. Names, peers and
 * error text can come from the sender: they are quoted or escaped for the terminal.
 */
export const receiveView: StreamView<ReceivedFile, ReceiveSummary> = {
  item(file: ReceivedFile, style: Style) {
    const status = file.status === "saved"
      ? style.green("saved  ")
      : file.status === "refused"
      ? style.red("refused")
      : style.red("failed ");
    const detail = file.status === "saved"
      ? `${shortHash(file.sha256)}  ${file.mbPerSecond.toFixed(1)} MB/s`
      : escapeTerminal(file.error ?? "");
    return `${status}  ${quoteForTerminal(file.name)}  ${formatByteCount(file.size)}  ` +
      `from ${escapeTerminal(file.peer)}  ${detail}\n`;
  },
  summary(s: ReceiveSummary) {
    return `${s.saved} saved, ${s.refused} refused, ${s.failed} failed ` +
      `(${formatByteCount(s.bytes)} from ${s.senders} sender${s.senders === 1 ? "" : "s"})\n`;
  },
  exitCode: receiveExitCode,
};

/** Formats a duration setting as the user would write it: `500ms`, `2s`, `1.5s`, `5m`, `1h`. */
export function formatDurationSetting(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 || ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Why a sender was cut, for its answer and the report: `no complete file header within 10s of
 * connecting`, `idle for 30s`, `too slow: 312 B/s over the last 10s, at least 1024 B/s needed`.
 */
export function describeStall(stall: Stall): string {
  switch (stall.kind) {
    case "header":
      return `too slow: no complete file header within ${formatDurationSetting(stall.limitMs)} ` +
        `of ${stall.afterFile ? "the previous file" : "connecting"}`;
    case "idle":
      return `idle for ${formatDurationSetting(stall.limitMs)}`;
    case "slow":
      return `too slow: ${Math.floor(stall.bytesPerSecond)} B/s over the last ` +
        `${formatDurationSetting(stall.windowMs)}, at least ${stall.minBytesPerSecond} B/s needed`;
  }
}

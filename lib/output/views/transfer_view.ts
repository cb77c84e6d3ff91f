/**
 * How `send` and `receive` show their results: one line per file, the totals, the progress bar
 * of `send`, and the diagnostics of `receive` on stderr. Everything a peer controls (names,
 * error texts, Unix peer paths) is quoted or escaped for the terminal; `--json` keeps it exact.
 * @module
 */
import { escapeTerminal, quoteForTerminal } from "../../core/terminal_text.ts";
import { TEMP_FILE_PREFIX, TEMP_FILE_SUFFIX } from "../../core/file_name.ts";
import {
  type ReceivedFile,
  receiveExitCode,
  type ReceiveSummary,
  sendExitCode,
  type SendSummary,
  type SentFile,
  type TransferAddress,
  transferAddressText,
} from "../../core/transfer.ts";
import type { DocumentStreamView } from "../document_emit.ts";
import type { OutputTarget } from "../emit.ts";
import type { Style } from "../style.ts";
import { formatBytes, formatDuration, formatRate } from "../units.ts";

// Thin re-exports for the commands that still import them from here (connect, listen, dial).
export {
  formatBytes as formatByteCount,
  formatDuration as formatMs,
  formatDurationSetting,
} from "../units.ts";

/** What a progress line shows. */
export interface Progress {
  /** The file being sent. */
  readonly name: string;
  /** Bytes of it sent so far. */
  readonly doneBytes: number;
  /** Its size. */
  readonly totalBytes: number;
  /** Milliseconds since its first byte. */
  readonly elapsedMs: number;
  /** Terminal width in columns; default 80. */
  readonly columns?: number;
}

/**
 * A one-line progress bar for a terminal (no newline; the caller writes it after `\r`):
 * `report.pdf [##########----------]  50%  5.00 MB/10.0 MB  41.2 MB/s`.
 */
export function formatProgress(p: Progress): string {
  const fraction = p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : 1;
  const rate = p.elapsedMs > 0 ? (p.doneBytes * 1000) / p.elapsedMs : 0;
  const tail = ` ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
    `${formatBytes(p.doneBytes)}/${formatBytes(p.totalBytes)}  ${formatRate(rate)}`;
  const width = 20;
  const filled = Math.round(fraction * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const room = Math.max(8, (p.columns ?? 80) - 1 - bar.length - tail.length - 1);
  const shown = escapeTerminal(p.name);
  const name = shown.length > room ? shown.slice(0, room - 1) + "…" : shown;
  return `${name} ${bar}${tail}`;
}

/** Minimum milliseconds between progress-bar redraws. */
const PROGRESS_EVERY_MS = 100;

/**
 * `send`'s progress line on stderr: which file is being hashed, then a bar while it streams.
 * Off (writes nothing) unless `on`.
 */
export class SendProgressLine {
  readonly #target: OutputTarget;
  readonly #on: boolean;
  #lastDraw = 0;
  #name = "";
  #fileStart = 0;

  /** A line on `target`'s stderr, drawn only when `on`. */
  constructor(target: OutputTarget, on: boolean) {
    this.#target = target;
    this.#on = on;
  }

  /** Shows that `name` is being hashed. */
  hashing(name: string): void {
    if (this.#on) this.#target.io.write("stderr", `\r\x1b[K${escapeTerminal(name)}: hashing…`);
  }

  /** Redraws the bar (at most every 100 ms, but always at a file's end). */
  draw(name: string, doneBytes: number, totalBytes: number): void {
    if (!this.#on) return;
    const now = performance.now();
    if (name !== this.#name) {
      this.#name = name;
      this.#fileStart = now;
    }
    if (doneBytes < totalBytes && now - this.#lastDraw < PROGRESS_EVERY_MS) return;
    this.#lastDraw = now;
    const line = formatProgress({ name, doneBytes, totalBytes, elapsedMs: now - this.#fileStart });
    this.#target.io.write("stderr", "\r\x1b[K" + line);
  }

  /** Clears the line. */
  clear(): void {
    if (this.#on) this.#target.io.write("stderr", "\r\x1b[K");
  }
}

const shortHash = (sha256?: string) => sha256 ? `sha256 ${sha256.slice(0, 12)}…` : "";

/**
 * `send`: one line per file as it is settled, then the totals and the rate. The receiver's
 * error text is shown through `escapeTerminal` (and names quoted with `quoteForTerminal`), so
 * nothing a peer says can act on the terminal; the document keeps both exact.
 */
export const sendView: DocumentStreamView<SentFile, SendSummary> = {
  command: "send",
  item(file: SentFile, style: Style) {
    const status = file.status === "verified"
      ? style.green("verified")
      : file.status === "refused"
      ? style.red("refused ")
      : style.red("failed  ");
    const detail = file.status === "verified"
      ? `${shortHash(file.sha256)}  ${formatRate(file.bytesPerSecond)}`
      : escapeTerminal(file.error ?? "");
    return `${status}  ${quoteForTerminal(file.name)}  ${formatBytes(file.size)}  ${detail}\n`;
  },
  summary(s: SendSummary, style: Style, interrupted: boolean) {
    const verdict = s.verified === s.total ? style.green(`all ${s.total} verified`) : style.red(
      `${s.verified} of ${s.total} verified` +
        (s.refused ? `, ${s.refused} refused` : "") +
        (s.failed ? `, ${s.failed} failed` : ""),
    );
    return `${s.total} file${s.total === 1 ? "" : "s"}, ${formatBytes(s.bytes)} to ` +
      `${escapeTerminal(transferAddressText(s))} in ${formatDuration(s.durationMs)} ` +
      `(${formatRate(s.bytesPerSecond)}): ${verdict}` +
      (interrupted ? ` ${style.yellow("(interrupted)")}` : "") + "\n";
  },
  exitCode: sendExitCode,
};

/**
 * `receive`: one line per file as it is settled, then the totals. Names, peers and error text
 * can come from the sender: they are quoted or escaped for the terminal.
 */
export const receiveView: DocumentStreamView<ReceivedFile, ReceiveSummary> = {
  command: "receive",
  item(file: ReceivedFile, style: Style) {
    const status = file.status === "saved"
      ? style.green("saved  ")
      : file.status === "refused"
      ? style.red("refused")
      : style.red("failed ");
    const detail = file.status === "saved"
      ? `${shortHash(file.sha256)}  ${formatRate(file.bytesPerSecond)}`
      : escapeTerminal(file.error ?? "");
    return `${status}  ${quoteForTerminal(file.name)}  ${formatBytes(file.size)}  ` +
      `from ${escapeTerminal(transferAddressText(file.peer))}  ${detail}\n`;
  },
  summary(s: ReceiveSummary) {
    return `${s.saved} saved, ${s.refused} refused, ${s.failed} failed ` +
      `(${formatBytes(s.bytes)} from ${s.senders} sender${s.senders === 1 ? "" : "s"})\n`;
  },
  exitCode: receiveExitCode,
};

/** `receive`'s first line on stderr: `listening on 127.0.0.1:9009, saving into "/srv/in"`. */
export function listeningLine(address: TransferAddress, dir: string): string {
  return `listening on ${escapeTerminal(transferAddressText(address))}, saving into ` +
    `${quoteForTerminal(dir)}\n`;
}

/** A sender cut between files: `netdiag: dropped 127.0.0.1:50412: idle for 30s`. */
export function droppedLine(peer: TransferAddress, reason: string): string {
  return `netdiag: dropped ${escapeTerminal(transferAddressText(peer))}: ${
    escapeTerminal(reason)
  }\n`;
}

/**
 * The stderr lines about an earlier receiver's temporary files: how many were removed, which
 * could not be, or why the directory could not be searched.
 */
export function leftoverLines(report: {
  readonly dir: string;
  readonly removed: number;
  readonly failures: readonly { readonly name: string; readonly reason: string }[];
  readonly error?: string;
}): string {
  const pattern = `${TEMP_FILE_PREFIX}*${TEMP_FILE_SUFFIX}`;
  const dir = quoteForTerminal(report.dir);
  const lines: string[] = [];
  if (report.error !== undefined) {
    lines.push(`netdiag: cannot look for leftover ${pattern} files in ${dir}: ${report.error}`);
  }
  if (report.removed > 0) {
    lines.push(
      `removed ${report.removed} leftover temporary file${report.removed === 1 ? "" : "s"} ` +
        `(${pattern}) of an earlier receive from ${dir}`,
    );
  }
  for (const { name, reason } of report.failures) {
    const path = report.dir.endsWith("/") ? report.dir + name : `${report.dir}/${name}`;
    lines.push(`netdiag: cannot remove leftover ${quoteForTerminal(path)}: ${reason}`);
  }
  return lines.map((l) => l + "\n").join("");
}

/**
 * `netdiag ping`'s (and `check --count`'s) human view: one line per attempt as it ends, then a
 * ping-style summary (sent, received, loss, min/avg/max/mdev, p50/p90/p99, the longest streaks).
 * Pure functions over the ping document's parts (docs/schema/ping.schema.json), plus
 * {@link pingSummary}, which computes the statistics from the attempts.
 * @module
 */
import type { CheckTimings } from "../../check/types.ts";
import { ExitCode } from "../../core/exit_code.ts";
import { escapeTerminal } from "../../core/terminal_text.ts";
import type { DocumentStreamView } from "../document_emit.ts";
import { formatHostPort } from "../format.ts";
import type { Style } from "../style.ts";
import { formatDuration } from "../units.ts";

/** One attempt: a fresh connect (handshake, request) and its outcome. */
export interface PingAttempt {
  /** 1, 2, … in the order attempts started. */
  readonly seq: number;
  readonly ok: boolean;
  /** The address connected to (null when none was reached), or the Unix socket path. */
  readonly address: string | null;
  readonly port: number | null;
  readonly family: 4 | 6 | null;
  readonly path?: string;
  /** The attempt's whole time (connect, handshake, request), or the time to the failure. */
  readonly timeMs: number;
  /** The failure's reason (docs/commands/check.md#reasons), null when ok. */
  readonly reason: string | null;
  /** The failure in words, null when ok. */
  readonly message: string | null;
  /** The HTTP status (URL targets), else null. */
  readonly status: number | null;
  readonly startedAt: string;
  /** The check's timings (per phase and cumulative as curl's), null when none were taken. */
  readonly timings: CheckTimings | null;
}

/** What the attempts are: a TCP connect, a TLS handshake or an HTTP request. */
export type PingKind = "tcp" | "tls" | "http";

/** The ping-style statistics over the attempts. Times over successful attempts; null without one. */
export interface PingSummary {
  readonly target: string;
  readonly kind: PingKind;
  readonly sent: number;
  readonly received: number;
  readonly lossPercent: number;
  readonly minMs: number | null;
  readonly avgMs: number | null;
  readonly maxMs: number | null;
  readonly mdevMs: number | null;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  /** The most successes in a row, and the most failures. */
  readonly longestUp: number;
  readonly longestDown: number;
  readonly elapsedMs: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}

/**
 * The statistics of `attempts`: as ping, loss is the share of failed attempts and mdev the
 * population standard deviation of the successful attempts' times.
 */
export function pingSummary(
  target: string,
  kind: PingKind,
  attempts: readonly PingAttempt[],
  elapsedMs: number,
): PingSummary {
  const times = attempts.filter((a) => a.ok).map((a) => a.timeMs).sort((a, b) => a - b);
  const n = times.length;
  const avg = n ? times.reduce((s, t) => s + t, 0) / n : 0;
  const mdev = n ? Math.sqrt(times.reduce((s, t) => s + (t - avg) ** 2, 0) / n) : 0;
  let up = 0, down = 0, longestUp = 0, longestDown = 0;
  for (const a of attempts) {
    if (a.ok) [up, down] = [up + 1, 0];
    else [up, down] = [0, down + 1];
    longestUp = Math.max(longestUp, up);
    longestDown = Math.max(longestDown, down);
  }
  const stat = (v: number) => n ? round3(v) : null;
  return {
    target,
    kind,
    sent: attempts.length,
    received: n,
    lossPercent: attempts.length ? round3((attempts.length - n) / attempts.length * 100) : 0,
    minMs: stat(times[0]),
    avgMs: stat(avg),
    maxMs: stat(times[n - 1]),
    mdevMs: stat(mdev),
    p50Ms: stat(percentile(times, 50)),
    p90Ms: stat(percentile(times, 90)),
    p99Ms: stat(percentile(times, 99)),
    longestUp,
    longestDown,
    elapsedMs: round3(elapsedMs),
  };
}

/** The exit code of a run: 1 when attempts were made and every one failed (as ping), else 0. */
export function pingExitCode(summary: PingSummary): number {
  return summary.sent > 0 && summary.received === 0 ? ExitCode.Negative : ExitCode.Ok;
}

const OUTCOME: Record<PingKind, string> = { tcp: "connected", tls: "handshake", http: "" };

/** One attempt's line: `seq=3 127.0.0.1:80 connected time=0.21 ms`. */
export function pingAttemptLine(a: PingAttempt, kind: PingKind, style: Style): string {
  const where = a.path !== undefined
    ? escapeTerminal(a.path)
    : a.address === null
    ? "-"
    : formatHostPort(escapeTerminal(a.address), a.port ?? 0);
  const time = `time=${formatDuration(a.timeMs)}`;
  if (!a.ok) {
    const status = a.status !== null ? ` status=${a.status}` : "";
    const why = a.message ? ` (${escapeTerminal(a.message)})` : "";
    return `seq=${a.seq} ${where} ${style.red("failed")}: ${escapeTerminal(a.reason ?? "?")}` +
      `${why}${status} ${time}\n`;
  }
  const what = kind === "http" ? `status=${a.status}` : OUTCOME[kind];
  return `seq=${a.seq} ${where} ${what} ${time}\n`;
}

const num = (v: number | null) => v === null ? "-" : v.toFixed(v < 10 ? 3 : v < 100 ? 2 : 1);

/** The summary block, as ping prints it. */
export function pingSummaryText(s: PingSummary, style: Style, interrupted: boolean): string {
  const loss = s.lossPercent === 0
    ? "0% loss"
    : style.red(`${Number(s.lossPercent.toFixed(1))}% loss`);
  let text = `\n--- ${escapeTerminal(s.target)} ping statistics ---\n` +
    `${s.sent} attempts, ${s.received} succeeded, ${loss}, time ${formatDuration(s.elapsedMs)}` +
    `${interrupted ? " (interrupted)" : ""}\n`;
  if (s.received > 0) {
    text += `min/avg/max/mdev = ${[s.minMs, s.avgMs, s.maxMs, s.mdevMs].map(num).join("/")} ms\n` +
      `p50/p90/p99 = ${[s.p50Ms, s.p90Ms, s.p99Ms].map(num).join("/")} ms\n`;
  }
  return text + `longest streaks: up ${s.longestUp}, down ${s.longestDown}\n`;
}

/** The streaming view of `ping` (and `check --count`), for `openDocumentStream`. */
export function pingView(
  command: string,
  kind: PingKind,
): DocumentStreamView<PingAttempt, PingSummary> {
  return {
    command,
    item: (a, style) => pingAttemptLine(a, kind, style),
    summary: pingSummaryText,
    exitCode: pingExitCode,
  };
}

/** The header line: `PING 127.0.0.1:80 (tcp)`. */
export function pingHeader(target: string, kind: PingKind): string {
  return `PING ${escapeTerminal(target)} (${kind})\n`;
}

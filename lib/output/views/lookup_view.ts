/**
 * The views of `resolve`, `reverse` and `hostname`. Names, addresses and reasons can come from
 * a DNS reply or a hosts file, so each goes through escapeTerminal before it is shown.
 * @module
 */
import {
  type AddressAnswer,
  type HostnameResult,
  type LookupStatus,
  type LookupSummary,
  type NameAnswer,
  type ResolveResult,
  type ReverseResult,
  summaryExitCode,
} from "../../core/name_lookup.ts";
import { escapeTerminal as t } from "../../core/terminal_text.ts";
import type { DocumentStreamView, DocumentView } from "../document_emit.ts";
import type { Style } from "../style.ts";
import { formatDuration } from "../units.ts";

const STATUS_WORDS: Record<LookupStatus, string> = {
  "ok": "ok",
  "not-found": "not found",
  "no-data": "no address",
  "timeout": "timed out",
  "failure": "failed",
};

function failureText(status: LookupStatus, reason: string | undefined, style: Style): string {
  const word = status === "timeout" || status === "failure"
    ? style.red(STATUS_WORDS[status])
    : style.yellow(STATUS_WORDS[status]);
  return reason ? `${word}: ${t(reason)}` : word;
}

const family = (f: 4 | 6) => (f === 4 ? "IPv4" : "IPv6");
const list = (items: readonly string[] | undefined) =>
  items?.length ? items.map(t).join(", ") : "-";
const time = (ms: number, style: Style) => style.dim(formatDuration(ms));

function ttlText(ttl: number | undefined): string {
  return ttl === undefined ? "" : `  ttl ${ttl}`;
}

/** One source's answer on one line (after the name): addresses, where from, time. */
function answerLine(answer: NameAnswer, style: Style): string {
  if (answer.status !== "ok") {
    return `${failureText(answer.status, answer.reason, style)}  ${time(answer.timeMs, style)}`;
  }
  const addresses = answer.addresses.map((a) => t(a.address)).join(", ");
  return `${addresses}  ${style.dim(t(answer.from))}  ${time(answer.timeMs, style)}`;
}

function exBlock(answer: NameAnswer, indent: string, style: Style): string {
  if (answer.status !== "ok") {
    return `${indent}${failureText(answer.status, answer.reason, style)}  ` +
      `${time(answer.timeMs, style)}\n`;
  }
  return `${indent}canonical name  ${t(answer.canonicalName ?? "-")}\n` +
    `${indent}aliases         ${list(answer.aliases)}\n` +
    `${indent}addresses       ${list(answer.addresses.map((a) => a.address))}\n` +
    `${indent}from            ${t(answer.from)}  ${time(answer.timeMs, style)}\n`;
}

function agreement(agree: boolean | undefined, style: Style): string {
  if (agree === undefined) return "";
  return agree
    ? `  ${style.green("the sources that answered agree")}\n`
    : `  ${style.yellow("the sources disagree")}\n`;
}

/** Human text of one `resolve` result. `single`: the only name (then `--first` prints just it). */
export function resolveItemText(item: ResolveResult, single: boolean, style: Style): string {
  const name = style.bold(t(item.name));
  if (item.answers.length > 1) {
    const width = Math.max(...item.answers.map((a) => a.source.length));
    const blocks = item.answers.map((a) =>
      item.mode === "ex"
        ? `  ${style.cyan(a.source)}\n${exBlock(a, "    ", style)}`
        : `  ${style.cyan(a.source.padEnd(width))}  ${answerLine(a, style)}\n`
    );
    return `${name}\n${blocks.join("")}${agreement(item.agree, style)}`;
  }
  const answer = item.answers[0];
  if (item.mode === "ex") return `${name}\n${exBlock(answer, "  ", style)}`;
  if (item.mode === "first" && answer.status === "ok") {
    const address = t(answer.addresses[0].address);
    return single ? `${address}\n` : `${t(item.name)}  ${address}\n`;
  }
  if (answer.status !== "ok") return `${name}  ${answerLine(answer, style)}\n`;
  return answer.addresses.map((a) => {
    const from = a.line !== undefined && answer.file ? `${answer.file}:${a.line}` : answer.from;
    return `${name}  ${t(a.address)}  ${family(a.family)}  ${style.dim(t(from))}` +
      `${ttlText(a.ttl)}  ${time(answer.timeMs, style)}\n`;
  }).join("");
}

function reverseAnswerLine(answer: AddressAnswer, style: Style): string {
  const took = time(answer.timeMs, style);
  if (answer.status !== "ok") return `${failureText(answer.status, answer.reason, style)}  ${took}`;
  const aliases = answer.aliases.length ? `  aliases ${list(answer.aliases)}` : "";
  return `${t(answer.hostname ?? "")}${aliases}  ${style.dim(t(answer.from))}` +
    `${ttlText(answer.ttl)}  ${took}`;
}

/** Human text of one `reverse` result. */
export function reverseItemText(item: ReverseResult, style: Style): string {
  const head = style.bold(t(item.query)) +
    (item.address && item.address !== item.query ? ` (${t(item.address)})` : "");
  if (item.answers.length === 0) {
    return `${head}  ${failureText(item.status, item.reason, style)}\n`;
  }
  if (item.answers.length === 1) return `${head}  ${reverseAnswerLine(item.answers[0], style)}\n`;
  const width = Math.max(...item.answers.map((a) => a.source.length));
  return `${head}\n` +
    item.answers.map((a) =>
      `  ${style.cyan(a.source.padEnd(width))}  ${reverseAnswerLine(a, style)}\n`
    ).join("") + agreement(item.agree, style);
}

/** The one-line summary of a batch, for stderr: `3 names: 2 answered, 1 not found, …`. */
export function summaryText(summary: LookupSummary, noun: string): string {
  const plural = noun.endsWith("s")
    ? `${noun}es`
    : noun.endsWith("y")
    ? `${noun.slice(0, -1)}ies`
    : `${noun}s`;
  const count = summary.count + summary.invalid;
  const invalid = summary.invalid ? `, ${summary.invalid} invalid` : "";
  return `${count} ${count === 1 ? noun : plural}: ${summary.ok} answered, ` +
    `${summary.negative} not found, ${summary.failed} failed${invalid} in ` +
    formatDuration(summary.timeMs);
}

/** The document stream view of `resolve` (`single`: one name was given, not a batch). */
export function resolveView(single: boolean): DocumentStreamView<ResolveResult, LookupSummary> {
  return {
    command: "resolve",
    item: (item, style) => resolveItemText(item, single, style),
    summary: () => "",
    exitCode: summaryExitCode,
  };
}

/** The document stream view of `reverse`. */
export const reverseView: DocumentStreamView<ReverseResult, LookupSummary> = {
  command: "reverse",
  item: reverseItemText,
  summary: () => "",
  exitCode: summaryExitCode,
};

/**
 * The view of `hostname`: the name (or the fully qualified name) on one line; the document's
 * one result is the {@link HostnameResult}.
 */
export const hostnameView: DocumentView<HostnameResult> = {
  command: "hostname",
  human: (result) => `${t(result.fqdn ?? result.hostname)}\n`,
};

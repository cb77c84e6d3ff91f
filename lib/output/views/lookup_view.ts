/**
 * The human and stream views of `resolve` and `reverse`. Names, addresses and reasons can come
 * from a DNS reply or a hosts file, so each goes through escapeTerminal before it is shown.
 * @module
 */
import {
  type AddressAnswer,
  formatMs,
  type LookupStatus,
  type LookupSummary,
  type NameAnswer,
  type ResolveItem,
  type ReverseItem,
  summaryExitCode,
} from "../../core/name_lookup.ts";
import { escapeTerminal as t } from "../../core/terminal_text.ts";
import type { StreamView } from "../emit.ts";
import type { Style } from "../style.ts";

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

function ttlText(ttl: number | undefined): string {
  return ttl === undefined ? "" : `  ttl ${ttl}`;
}

/** One source's answer on one line (after the name): addresses, where from, time. */
function answerLine(answer: NameAnswer, style: Style): string {
  const time = style.dim(formatMs(answer.timeMs));
  if (answer.status !== "ok") {
    return `${failureText(answer.status, answer.reason, style)}  ${time}`;
  }
  const addresses = answer.addresses.map((a) => t(a.address)).join(", ");
  return `${addresses}  ${style.dim(t(answer.from))}  ${time}`;
}

function exBlock(answer: NameAnswer, indent: string, style: Style): string {
  if (answer.status !== "ok") {
    return `${indent}${failureText(answer.status, answer.reason, style)}  ` +
      `${style.dim(formatMs(answer.timeMs))}\n`;
  }
  return `${indent}canonical name  ${t(answer.canonicalName ?? "-")}\n` +
    `${indent}aliases         ${list(answer.aliases)}\n` +
    `${indent}addresses       ${list(answer.addresses.map((a) => a.address))}\n` +
    `${indent}from            ${t(answer.from)}  ${style.dim(formatMs(answer.timeMs))}\n`;
}

function agreement(agree: boolean | undefined, style: Style): string {
  if (agree === undefined) return "";
  return agree
    ? `  ${style.green("the sources that answered agree")}\n`
    : `  ${style.yellow("the sources disagree")}\n`;
}

/** Human text of one `resolve` item. `single`: the only name (then `--first` prints just it). */
export function resolveItemText(item: ResolveItem, single: boolean, style: Style): string {
  const name = style.bold(t(item.name));
  if (item.answers.length > 1) {
    const width = Math.max(...item.answers.map((a) => a.source.length));
    if (item.mode === "ex") {
      return `${name}\n` + item.answers.map((a) =>
        `  ${style.cyan(a.source)}\n${exBlock(a, "    ", style)}`
      ).join("") + agreement(item.agree, style);
    }
    return `${name}\n` + item.answers.map((a) =>
      `  ${style.cyan(a.source.padEnd(width))}  ${answerLine(a, style)}\n`
    ).join("") + agreement(item.agree, style);
  }
  const answer = item.answers[0];
  if (item.mode === "ex") return `${name}\n${exBlock(answer, "  ", style)}`;
  if (item.mode === "first" && answer.status === "ok") {
    const address = t(answer.addresses[0].address);
    return single ? `${address}\n` : `${t(item.name)}  ${address}\n`;
  }
  if (answer.status !== "ok") return `${name}  ${answerLine(answer, style)}\n`;
  return answer.addresses.map((a) =>
    `${name}  ${t(a.address)}  ${family(a.family)}  ${
      style.dim(t(a.line !== undefined && answer.file ? `${answer.file}:${a.line}` : answer.from))
    }${ttlText(a.ttl)}  ` +
    `${style.dim(formatMs(answer.timeMs))}\n`
  ).join("");
}

function reverseAnswerLine(answer: AddressAnswer, style: Style): string {
  const time = style.dim(formatMs(answer.timeMs));
  if (answer.status !== "ok") return `${failureText(answer.status, answer.reason, style)}  ${time}`;
  const aliases = answer.aliases.length ? `  aliases ${list(answer.aliases)}` : "";
  return `${t(answer.hostname ?? "")}${aliases}  ${style.dim(t(answer.from))}` +
    `${ttlText(answer.ttl)}  ${time}`;
}

/** Human text of one `reverse` item. */
export function reverseItemText(item: ReverseItem, style: Style): string {
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

/** The one-line summary of a batch, for stderr. */
export function summaryText(summary: LookupSummary, noun: string): string {
  const plural = noun.endsWith("s")
    ? `${noun}es`
    : noun.endsWith("y")
    ? `${noun.slice(0, -1)}ies`
    : `${noun}s`;
  return `${summary.count} ${summary.count === 1 ? noun : plural}: ${summary.ok} answered, ` +
    `${summary.negative} not found, ${summary.failed} failed in ${formatMs(summary.timeMs)}`;
}

/** The stream view of `resolve`. */
export function resolveView(single: boolean): StreamView<ResolveItem, LookupSummary> {
  return {
    item: (item, style) => resolveItemText(item, single, style),
    summary: () => "",
    exitCode: summaryExitCode,
  };
}

/** The stream view of `reverse`. */
export const reverseView: StreamView<ReverseItem, LookupSummary> = {
  item: reverseItemText,
  summary: () => "",
  exitCode: summaryExitCode,
};

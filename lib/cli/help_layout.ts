/**
 * Text layout for netdiag's help: wrapping at word boundaries to a width, two-column rows and
 * the width itself (`COLUMNS`, else the terminal's, else 80 when not a terminal).
 * @module
 */
import type { Io } from "../runtime/io.ts";

/** The width help is laid out for when nothing better is known. */
export const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;

/**
 * Splits `text` into lines of at most `width` characters at spaces, continuation lines starting
 * with `indent`; a word longer than a line is never broken (it stands alone on its line).
 */
export function wrap(text: string, width: number, indent = "", firstIndent = indent): string[] {
  return wrapTokens(text.split(/ +/).filter((w) => w !== ""), width, indent, firstIndent);
}

/** {@link wrap} over tokens that may hold spaces (`[--payload text]`), never split. */
export function wrapTokens(
  words: readonly string[],
  width: number,
  indent = "",
  firstIndent = indent,
): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (empty ? "" : " ") + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A paragraph of a description: a line starting with spaces (an example) keeps its indent and
 * wraps under it with two more spaces; any other line wraps flush.
 */
export function wrapParagraph(line: string, width: number, base = "  "): string[] {
  if (line.trim() === "") return [""];
  const lead = /^ */.exec(line)![0];
  const indent = base + lead;
  // An example keeps its own spacing (aligned comments) whenever it fits.
  if (lead && (base + line).length <= width) return [base + line];
  return wrap(line.trim(), width, lead ? indent + "  " : indent, indent);
}

/** The column a right cell starts at: after the widest left cell of at most `maxLeft`. */
export function columnFor(rows: readonly (readonly [string, string])[], maxLeft = 26): number {
  const fit = rows.map(([l]) => l.length).filter((n) => n <= maxLeft);
  return Math.max(0, ...fit) + 2;
}

/**
 * Rows of `left` and `right` columns: the right column starts at `left` (by default
 * {@link columnFor} the rows; a longer left cell puts its text on the next line) and wraps under
 * itself.
 */
export function twoColumns(
  rows: readonly (readonly [string, string])[],
  width: number,
  left = columnFor(rows),
): string[] {
  const pad = " ".repeat(left);
  const out: string[] = [];
  for (const [l, r] of rows) {
    const body = wrap(r, width, pad, pad);
    if (l.length + 2 <= left) {
      out.push(l.padEnd(left) + body[0].slice(left), ...body.slice(1));
    } else {
      out.push(l, ...body);
    }
  }
  return out.map((s) => s.trimEnd());
}

function terminalColumns(): number | undefined {
  try {
    if ("Deno" in globalThis) return Deno.consoleSize().columns;
    // deno-lint-ignore no-process-global
    return (globalThis as { process?: { stdout?: { columns?: number } } }).process?.stdout
      ?.columns;
  } catch {
    return undefined;
  }
}

function columnsVariable(io: Io): string | undefined {
  const seen = io.env("COLUMNS");
  if (seen !== undefined || !("Deno" in globalThis)) {
    // deno-lint-ignore no-process-global
    return seen ?? (globalThis as { process?: { env?: Record<string, string> } }).process?.env
      ?.COLUMNS;
  }
  // Under Deno, read COLUMNS only when the permission allow-list grants it (never prompt).
  try {
    const state = Deno.permissions.querySync({ name: "env", variable: "COLUMNS" }).state;
    return state === "granted" ? Deno.env.get("COLUMNS") : undefined;
  } catch {
    return undefined;
  }
}

/** The width help is wrapped to: `COLUMNS` if set, the terminal's width, else 80. */
export function helpWidth(io: Io): number {
  const variable = Number(columnsVariable(io));
  if (Number.isInteger(variable) && variable > 0) return Math.max(MIN_WIDTH, variable);
  const columns = io.isTerminal("stdout") ? terminalColumns() : undefined;
  return columns && columns > 0 ? Math.max(MIN_WIDTH, columns) : DEFAULT_WIDTH;
}

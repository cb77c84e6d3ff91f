/** Column alignment in {@link formatTable}. */
export type Align = "left" | "right";

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** Alignment per column; default left for every column. */
  readonly align?: readonly Align[];
  /** Spaces between columns; default 2. */
  readonly gap?: number;
  /** Print the header row; default true. */
  readonly header?: boolean;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** The printed width of a string: ANSI escapes take no room. */
export function visibleWidth(text: string): number {
  // Most cells are plain: no escape, no regular expression.
  return text.includes("\x1b") ? text.replace(ANSI, "").length : text.length;
}

/**
 * Lays out rows as aligned text columns, one line per row, each ending in a newline.
 * The last column is not padded, so no line has trailing spaces.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const gap = " ".repeat(options.gap ?? 2);
  const all = options.header === false ? rows : [headers, ...rows];
  const widths = headers.map((_, c) => Math.max(0, ...all.map((r) => visibleWidth(r[c] ?? ""))));
  const line = (row: readonly string[]) =>
    row.map((cell, c) => {
      const pad = " ".repeat(widths[c] - visibleWidth(cell));
      if (options.align?.[c] === "right") return pad + cell;
      return c === row.length - 1 ? cell : cell + pad;
    }).join(gap).trimEnd() + "\n";
  return all.map(line).join("");
}

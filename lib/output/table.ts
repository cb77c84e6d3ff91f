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
  // One row is its own widths: no padding (a dig-style answer of one record).
  if (all.length === 1) return all[0].join(gap).trimEnd() + "\n";
  const widths: number[] = [];
  for (let c = 0; c < headers.length; c++) {
    let width = 0;
    for (const row of all) width = Math.max(width, visibleWidth(row[c] ?? ""));
    widths.push(width);
  }
  let out = "";
  for (const row of all) {
    let line = "";
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      const pad = " ".repeat(widths[c] - visibleWidth(cell));
      if (c > 0) line += gap;
      if (options.align?.[c] === "right") line += pad + cell;
      else line += c === row.length - 1 ? cell : cell + pad;
    }
    out += line.trimEnd() + "\n";
  }
  return out;
}

import { InputError, quote } from "./errors.ts";

const SIMPLE: Record<string, number> = { r: 0x0d, n: 0x0a, t: 0x09, "\\": 0x5c, "0": 0x00 };
const HEX_DIGITS = /^[0-9a-fA-F]{2}$/;

/**
 * Turns text with C-style escapes into bytes, for `connect --send`: `\r`, `\n`, `\t`, `\\`,
 * `\0` and `\xHH` (one raw byte); everything else is encoded as UTF-8. An unknown escape or a
 * lone trailing backslash is an {@link InputError} naming the escape and the allowed ones.
 */
export function decodeEscapes(text: string): Uint8Array {
  const encoder = new TextEncoder();
  const out: number[] = [];
  let literal = "";
  const flush = () => {
    if (literal) out.push(...encoder.encode(literal));
    literal = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "\\") {
      literal += c;
      continue;
    }
    const next = text[i + 1];
    flush();
    if (next !== undefined && next in SIMPLE) {
      out.push(SIMPLE[next]);
      i += 1;
    } else if (next === "x" && HEX_DIGITS.test(text.slice(i + 2, i + 4))) {
      out.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const shown = next === undefined ? "\\" : next === "x" ? text.slice(i, i + 4) : `\\${next}`;
      throw new InputError(
        `invalid escape ${quote(shown)} in ${quote(text)}: ` +
          `expected \\r, \\n, \\t, \\\\, \\0 or \\xHH (two hex digits)`,
      );
    }
  }
  flush();
  return Uint8Array.from(out);
}

/**
 * Packed-address bytes as text: lowercase hex, the Python bytes literal, and a lenient hex reader
 * (optional `0x`, optional `:`, `-` or space separators between groups of whole bytes).
 * @module
 */
import { InputError, quote } from "./errors.ts";

/** Lowercase hex of `bytes`, two digits per byte, no separators. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * The Python literal of `bytes`, exactly as CPython's `repr(bytes)` prints it: single quotes
 * unless the bytes hold `'` and no `"`; `\t`, `\n`, `\r`, `\\` and the quote escaped; other
 * bytes outside printable ASCII as `\xhh`.
 */
export function pythonBytesLiteral(bytes: Uint8Array): string {
  const quoteChar = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = "b" + quoteChar;
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (c === quoteChar || c === "\\") out += "\\" + c;
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += "\\x" + b.toString(16).padStart(2, "0");
    else out += c;
  }
  return out + quoteChar;
}

const HEX_GROUP = /^[0-9a-fA-F]+$/;

/**
 * Reads packed bytes written as hex: `7f000001`, `0x7f000001`, `7f:00:00:01`, `7f 00 00 01`,
 * `7f-00-00-01`. Every group between separators must hold whole bytes (an even number of
 * digits). Throws an {@link InputError} naming the text otherwise.
 */
export function parseHexBytes(text: string): Uint8Array {
  const expected = "expected hex digits (two per byte), optionally with a 0x prefix and " +
    "':', '-' or space separators between bytes";
  let body = text.trim();
  if (/^0[xX]/.test(body)) body = body.slice(2);
  const groups = body.split(/\s*[:-]\s*|\s+/);
  if (body === "" || groups.some((g) => !HEX_GROUP.test(g))) {
    throw new InputError(`invalid hex bytes ${quote(text)}: ${expected}`);
  }
  if (groups.some((g) => g.length % 2 !== 0)) {
    throw new InputError(`invalid hex bytes ${quote(text)}: odd number of hex digits; ${expected}`);
  }
  const digits = groups.join("");
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

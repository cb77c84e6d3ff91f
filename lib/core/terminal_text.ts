/**
 * Making untrusted text safe to show on a terminal. Anything a peer or an argument controls
 * passes through here before a person sees it, so that no byte of it can move the cursor,
 * clear the screen, set the window title or reorder what is shown.
 * @module
 */

/**
 * The characters that are never shown raw: C0 controls (but tab), DEL, C1 controls
 * (U+0080–U+009F), the bidirectional embedding, override and isolate marks (U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069), the line and paragraph separators (U+2028, U+2029) and the
 * byte-order mark (U+FEFF).
 */
const UNSAFE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** Whether `text` holds a character {@link escapeTerminal} would rewrite. */
export function hasTerminalControls(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * `text` with every control, C1 and bidi character written as a visible escape: `\n`, `\r`,
 * `\e` for ESC, `\xHH` for other codes below U+0100 and `\u{HHHH}` above. Printable text,
 * tabs and every other Unicode character pass unchanged.
 *
 * @example
 * ```ts
 * import { escapeTerminal } from "./terminal_text.ts";
 * escapeTerminal("a\x1b]0;pwned\x07b"); // "a\\e]0;pwned\\x07b"
 * ```
 */
export function escapeTerminal(text: string): string {
  // Printable ASCII and tabs (nearly every string printed) are checked without the expression.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 : c >= 0x7f) return text.replace(UNSAFE, escapeOne);
  }
  return text;
}

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (code === 0x1b) return "\\e";
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u{${code.toString(16).padStart(4, "0")}}`;
}

/**
 * `value` in double quotes for a message, as JSON writes a string, with the characters
 * JSON leaves raw (DEL, C1, bidi marks, U+2028/U+2029) escaped as `\uHHHH` too.
 *
 * @example
 * ```ts
 * import { quoteForTerminal } from "./terminal_text.ts";
 * quoteForTerminal("a\u202eb"); // "\"a\\u202eb\""
 * ```
 */
export function quoteForTerminal(value: unknown): string {
  return JSON.stringify(String(value)).replace(
    UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Checks that what netdiag wrote is safe to show and free of crashes, shared by the argument
 * tests and the CLI fuzz test.
 */

/**
 * Characters that must never reach a terminal raw: C0 controls but newline and tab, DEL, C1
 * controls, bidi embeddings, overrides, isolates and marks, the line and paragraph separators,
 * the byte-order mark.
 */
// deno-lint-ignore no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;

/** The first raw control character in `text` as `U+XXXX at index N`, or undefined. */
export function rawControl(text: string): string | undefined {
  const m = RAW_CONTROL.exec(text);
  if (!m) return undefined;
  return `U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at index ${m.index}`;
}

/**
 * Signs of a crash in stderr: a stack frame line (`    at f (file:1:2)`), a runtime's uncaught
 * error report (Deno's `error: Uncaught`, Bun's `Bun v1.x` footer) or a line of minified source
 * quoted by Bun (`2 | var a=…`). Returns the offending line, or undefined.
 */
export function crashSign(stderr: string): string | undefined {
  return stderr.split("\n").find((line) =>
    /^\s+at /.test(line) || /^error: /i.test(line) || /^Bun v\d/.test(line) ||
    /^\s*\d+ \| /.test(line) || /Uncaught/.test(line)
  );
}

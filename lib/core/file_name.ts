import { hasTerminalControls } from "./terminal_text.ts";
import { utf8Length } from "./utf8_length.ts";

/** The longest file name a transfer accepts, in UTF-8 bytes (Linux's NAME_MAX). */
export const MAX_FILE_NAME_BYTES = 255;

/** The prefix of `receive`'s temporary files; names starting with it are refused. */
export const TEMP_FILE_PREFIX = ".netdiag-";

/** The suffix of `receive`'s temporary files. */
export const TEMP_FILE_SUFFIX = ".part";

/** A temporary file's name: the prefix, 16 lowercase hex digits, the suffix. */
const TEMP_FILE_NAME = /^\.netdiag-[0-9a-f]{16}\.part$/;

/**
 * The name of a temporary file of `receive` for the random part `hex16` (16 lowercase hex
 * digits): `.netdiag-0123456789abcdef.part`.
 */
export function tempFileName(hex16: string): string {
  return `${TEMP_FILE_PREFIX}${hex16}${TEMP_FILE_SUFFIX}`;
}

/**
 * Whether `name` is exactly of the form {@link tempFileName} makes, so that `receive` may treat
 * a file of that name in its directory as its own leftover.
 */
export function isTempFileName(name: string): boolean {
  return TEMP_FILE_NAME.test(name);
}

/** `U+202E` for the first character of `text`. */
function codePoint(text: string): string {
  return `U+${text.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Why `name` holds a character that must never be written to a terminal or a directory
 * listing raw, or undefined. Refused: C0 controls (tab too), DEL, C1 controls (U+0080–U+009F),
 * and the characters that reorder or hide text: the bidirectional marks, embeddings, overrides
 * and isolates, the line and paragraph separators and the byte-order mark (the set of
 * `hasTerminalControls` in lib/core/terminal_text.ts).
 */
function controlCharacterReason(name: string): string | undefined {
  // deno-lint-ignore no-control-regex
  const c0 = /[\u0000-\u001f]/.exec(name);
  if (c0) return `contains a control character (${codePoint(c0[0])})`;
  if (!hasTerminalControls(name)) return undefined;
  for (const c of name) {
    if (!hasTerminalControls(c)) continue;
    const code = c.charCodeAt(0);
    return code <= 0x9f
      ? `contains a control character (${codePoint(c)})`
      : `contains an invisible formatting character (${codePoint(c)})`;
  }
  return undefined;
}

/**
 * Checks that a file name received over the network is safe to create inside a directory: a
 * single plain component. Returns why it is not (for the refusal message), or undefined when
 * it is safe. Refused: empty, `.` and `..`, any `/` or `\` (so no absolute paths and no
 * traversal such as `../x` or `a/../../b`), NUL, control characters (C0, DEL, C1) and the
 * invisible formatting characters that reorder or hide text on a terminal (bidi marks,
 * embeddings, overrides and isolates, U+2028/U+2029, U+FEFF), names over
 * {@link MAX_FILE_NAME_BYTES} UTF-8 bytes, and names that look like netdiag's own temporary files.
 * Names are checked, never rewritten, so what is saved is exactly what the sender named.
 */
export function unsafeFileNameReason(name: string): string | undefined {
  if (name.length === 0) return "empty name";
  if (name === "." || name === "..") return "not a file name";
  if (name.includes("/") || name.includes("\\")) return "contains a path separator";
  if (name.includes("\0")) return "contains a NUL character";
  const control = controlCharacterReason(name);
  if (control) return control;
  const bytes = utf8Length(name);
  if (bytes > MAX_FILE_NAME_BYTES) {
    return `too long (${bytes} bytes, at most ${MAX_FILE_NAME_BYTES})`;
  }
  if (name.startsWith(TEMP_FILE_PREFIX)) {
    return `reserved prefix ${JSON.stringify(TEMP_FILE_PREFIX)}`;
  }
  return undefined;
}

/** Whether {@link unsafeFileNameReason} accepts the name. */
export function isSafeFileName(name: string): boolean {
  return unsafeFileNameReason(name) === undefined;
}

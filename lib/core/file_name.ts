/** The longest file name a transfer accepts, in UTF-8 bytes (Linux's NAME_MAX). */
export const MAX_FILE_NAME_BYTES = 255;

/** The prefix of `receive`'s temporary files; names starting with it are refused. */
export const TEMP_FILE_PREFIX = ".netdiag-";

/**
 * Checks that a file name received over the network is safe to create inside a directory: a
 * single plain component. Returns why it is not (for the refusal message), or undefined when
 * it is safe. Refused: empty, `.` and `..`, any `/` or `\` (so no absolute paths and no
 * traversal such as `../x` or `a/../../b`), NUL and other control characters, names over
 * {@link MAX_FILE_NAME_BYTES} UTF-8 bytes, and names that look like netdiag's own temporary files.
 * Names are checked, never rewritten, so what is saved is exactly what the sender named.
 */
export function unsafeFileNameReason(name: string): string | undefined {
  if (name.length === 0) return "empty name";
  if (name === "." || name === "..") return "not a file name";
  if (name.includes("/") || name.includes("\\")) return "contains a path separator";
  if (name.includes("\0")) return "contains a NUL character";
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "contains a control character";
  const bytes = new TextEncoder().encode(name).length;
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

/**
 * Unix socket paths as netdiag accepts them on the command line: checked when the arguments are
 * parsed, so a path the kernel cannot take is a usage error (exit 2) with one clear line instead
 * of a runtime's failure at bind or connect time.
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { utf8Length } from "./utf8_length.ts";

/**
 * The longest Unix socket path in bytes: Linux's `sun_path` holds 108 bytes, the last of them
 * the terminating NUL.
 */
export const MAX_UNIX_PATH_BYTES = 107;

/**
 * Checks a Unix socket path given on the command line and returns it unchanged. Throws an
 * {@link InputError} naming the path when it is empty, holds a NUL byte or is longer than
 * {@link MAX_UNIX_PATH_BYTES} bytes in UTF-8.
 */
export function parseUnixPath(text: string): string {
  const what = `invalid Unix socket path ${quote(text)}`;
  if (text === "") throw new InputError(`${what}: empty`);
  if (text.includes("\0")) throw new InputError(`${what}: contains a NUL byte`);
  const bytes = utf8Length(text);
  if (bytes > MAX_UNIX_PATH_BYTES) {
    throw new InputError(
      `${what}: ${bytes} bytes, at most ${MAX_UNIX_PATH_BYTES} allowed (the sun_path limit)`,
    );
  }
  return text;
}

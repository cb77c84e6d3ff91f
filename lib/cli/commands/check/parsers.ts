/**
 * Parsers of `check`'s and `ping`'s HTTP flags: `--header`, `--request`, `--expect-body`.
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";

/** Reads `-H "Name: value"` (the name a token, the value without control characters). */
export function parseHeader(text: string): string {
  // deno-lint-ignore no-control-regex
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*)$/.exec(text);
  if (!m) {
    throw new InputError(
      `invalid header ${quote(text)}: expected "Name: value" (a token, a colon, printable text)`,
    );
  }
  return `${m[1]}: ${m[2].trimEnd()}`;
}

/** Reads `-X METHOD`: an HTTP token, upper-cased. */
export function parseMethod(text: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/.test(text)) {
    throw new InputError(`invalid method ${quote(text)}: expected an HTTP method such as "HEAD"`);
  }
  return text.toUpperCase();
}

/** Reads `--expect-body REGEX` (a JavaScript regular expression, matched against the body). */
export function parseBodyPattern(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new InputError(
      `invalid --expect-body ${quote(text)}: ${(error as Error).message.replace(/^.*: /, "")}`,
    );
  }
}

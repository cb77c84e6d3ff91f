import { InputError, quote } from "./errors.ts";
import { problemPrefix } from "./parse_number.ts";

const SIZE = /^([0-9]+(?:\.[0-9]+)?)\s*(?:([kmgt])(?:i?b)?|b)?$/i;
const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4 };

/** Options of {@link parseByteSize}. */
export interface ByteSizeOptions {
  /** What the value is, for the error message; default "size". */
  readonly what?: string;
  /** Smallest allowed number of bytes; default 0. */
  readonly min?: number;
  /** Largest allowed number of bytes; default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
}

/**
 * Parses a byte count: `512`, `64k`, `1.5M`, `16MiB`, `1G`, `2GB`. Suffixes k, M, G and T are
 * binary multiples (1024, 1024², …) with or without `iB`/`B`; a bare number is bytes. The result
 * is rounded down to whole bytes. Rejects anything else with an {@link InputError}.
 */
export function parseByteSize(text: string, options: ByteSizeOptions = {}): number {
  const { what = "size", min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  const m = SIZE.exec(text.trim());
  if (!m) {
    throw new InputError(
      `invalid ${what} ${quote(text)}${problemPrefix(text)}` +
        `expected a byte count such as "512", "64k", "16M" or "1G"`,
    );
  }
  const bytes = Math.floor(Number(m[1]) * 1024 ** (m[2] ? POWERS[m[2].toLowerCase()] : 0));
  if (!Number.isSafeInteger(bytes) || bytes < min || bytes > max) {
    throw new InputError(
      `${what} ${quote(text)} is out of range: expected ${min} to ${max} bytes`,
    );
  }
  return bytes;
}

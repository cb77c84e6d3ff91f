import { InputError, quote } from "./errors.ts";
import { problemPrefix } from "./parse_number.ts";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/;

/** Options of {@link parseDuration}. */
export interface DurationOptions {
  /** What the value is, for the error message; default "duration". */
  readonly what?: string;
  /** Smallest allowed milliseconds; default 1. */
  readonly minMs?: number;
  /** Largest allowed milliseconds; default 24 hours. */
  readonly maxMs?: number;
}

/**
 * Parses a duration into milliseconds: `250ms`, `2s`, `1.5s`, `5m`, `1h`; a bare number is
 * seconds, as with `nc -w` and `dig +time`. Rejects negatives, blanks and unknown units.
 */
export function parseDuration(text: string, options: DurationOptions = {}): number {
  const { what = "duration", minMs = 1, maxMs = 86_400_000 } = options;
  const allowed = `a duration such as "500ms", "2s", "1.5s" or "5m" (bare numbers are seconds)`;
  const m = DURATION.exec(text.trim());
  if (!m) {
    throw new InputError(`invalid ${what} ${quote(text)}${problemPrefix(text)}expected ${allowed}`);
  }
  const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? "s"]);
  if (ms < minMs || ms > maxMs) {
    throw new InputError(
      `${what} ${quote(text)} is out of range: expected ${minMs}ms to ${maxMs / 1000}s`,
    );
  }
  return ms;
}

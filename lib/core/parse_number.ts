import { InputError, quote } from "./errors.ts";

/** Options of {@link parseInteger}. */
export interface IntegerOptions {
  /** Smallest allowed value; default 0. */
  readonly min?: number;
  /** Largest allowed value; default `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number;
  /** What the value is, for the error message; default "value". */
  readonly what?: string;
  /** Accept `0x` hexadecimal as well as decimal; default true. */
  readonly hex?: boolean;
}

const DECIMAL = /^[0-9]+$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
/** Text JavaScript reads as a finite-looking number (sign, fraction, exponent), then a unit. */
const JS_NUMBER = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)\s*[a-z]*$/i;
/** The words JavaScript reads as a number that is not finite. */
const JS_NON_FINITE = /^[+-]?(?:Infinity|NaN)$/;

/**
 * Why numeric-looking text that a parser's grammar refused is not accepted: "not a finite
 * number" (`1e400`, `Infinity`, `NaN`), "negative", "exponent notation is not accepted", "a sign
 * is not accepted" or, with `whole`, "not a whole number". Undefined when `text` does not look
 * like a number at all (or when nothing is wrong with its number, e.g. only its unit is
 * unknown), so the caller's message says only what is expected.
 */
export function numberProblem(text: string, whole = false): string | undefined {
  const trimmed = text.trim();
  if (JS_NON_FINITE.test(trimmed)) return "not a finite number";
  const m = JS_NUMBER.exec(trimmed);
  if (!m) return undefined;
  if (!Number.isFinite(Number(m[1]))) return "not a finite number";
  if (m[1].startsWith("-")) return "negative";
  if (/e/i.test(m[1])) return "exponent notation is not accepted";
  if (m[1].startsWith("+")) return "a sign is not accepted";
  if (whole && !/^[0-9]+$/.test(m[1])) return "not a whole number";
  return undefined;
}

/** `: why; ` for a refused value when {@link numberProblem} knows why, else `: `. */
export function problemPrefix(text: string, whole = false): string {
  const problem = numberProblem(text, whole);
  return problem ? `: ${problem}; ` : ": ";
}

/**
 * Parses a whole number in decimal (or `0x` hex) within `[min, max]`. Rejects signs, fractions,
 * exponents, blanks and anything else with an {@link InputError} naming the value and the range.
 */
export function parseInteger(text: string, options: IntegerOptions = {}): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, what = "value", hex = true } = options;
  const range = `a whole number from ${min} to ${max}${hex ? " (decimal or 0x-hex)" : ""}`;
  const trimmed = text.trim();
  let value: number;
  if (DECIMAL.test(trimmed)) value = Number(trimmed);
  else if (hex && HEX.test(trimmed)) value = Number.parseInt(trimmed.slice(2), 16);
  else {
    throw new InputError(
      `invalid ${what} ${quote(text)}${problemPrefix(text, true)}expected ${range}`,
    );
  }
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`${what} ${quote(text)} is out of range: expected ${range}`);
  }
  return value;
}

/** Parses a TCP/UDP port, 1..65535 (or 0..65535 with `allowZero`, for "pick a free port"). */
export function parsePort(text: string, allowZero = false): number {
  return parseInteger(text, { min: allowZero ? 0 : 1, max: 65535, what: "port", hex: false });
}

/** Parses a positive count (1 or more), for `--count`, `--concurrency` and the like. */
export function parseCount(text: string, what = "count", max = 1_000_000_000): number {
  return parseInteger(text, { min: 1, max, what, hex: false });
}

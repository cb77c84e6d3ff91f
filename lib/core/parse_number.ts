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
  else throw new InputError(`invalid ${what} ${quote(text)}: expected ${range}`);
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

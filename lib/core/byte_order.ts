import { parseInteger } from "./parse_number.ts";

/** A host's byte order. */
export type Endianness = "little" | "big";

/** The byte-order functions of the socket API. */
export type ByteOrderFunction = "htons" | "htonl" | "ntohs" | "ntohl";

/** The byte order of the machine netdiag runs on, read from memory rather than assumed. */
export function hostEndianness(): Endianness {
  const probe = new Uint8Array(new Uint16Array([1]).buffer);
  return probe[0] === 1 ? "little" : "big";
}

/** Width in bits of a byte-order function's operand: 16 for the `s` forms, 32 for `l`. */
export function functionBits(fn: ByteOrderFunction): 16 | 32 {
  return fn.endsWith("s") ? 16 : 32;
}

/** Reverses the bytes of a 16-bit value. */
export function swap16(value: number): number {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff);
}

/** Reverses the bytes of a 32-bit value (result unsigned). */
export function swap32(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) |
    (value >>> 24)) >>> 0;
}

/**
 * Applies a byte-order function as C and CPython do: on a little-endian host every one of them
 * swaps bytes; on a big-endian host they are the identity (network order is big-endian).
 */
export function applyByteOrder(
  fn: ByteOrderFunction,
  value: number,
  endianness: Endianness,
): number {
  if (endianness === "big") return value;
  return functionBits(fn) === 16 ? swap16(value) : swap32(value);
}

/** Parses an operand of a byte-order function: decimal or 0x-hex, within its bit width. */
export function parseByteOrderOperand(fn: ByteOrderFunction, text: string): number {
  const bits = functionBits(fn);
  return parseInteger(text, {
    min: 0,
    max: bits === 16 ? 0xffff : 0xffffffff,
    what: `${bits}-bit value for ${fn}`,
  });
}

/** One converted value. */
export interface ByteOrderConversion {
  readonly input: number;
  readonly output: number;
  /** The output as 0x-hex, zero-padded to the operand width. */
  readonly outputHex: string;
}

/** The result of a byte-order command. */
export interface ByteOrderResult {
  readonly function: ByteOrderFunction;
  readonly bits: 16 | 32;
  readonly hostByteOrder: Endianness;
  readonly conversions: readonly ByteOrderConversion[];
}

/** Converts every value; the result records the host byte order the answer depends on. */
export function convertByteOrder(
  fn: ByteOrderFunction,
  values: readonly number[],
  endianness: Endianness = hostEndianness(),
): ByteOrderResult {
  const bits = functionBits(fn);
  return {
    function: fn,
    bits,
    hostByteOrder: endianness,
    conversions: values.map((input) => {
      const output = applyByteOrder(fn, input, endianness);
      return { input, output, outputHex: "0x" + output.toString(16).padStart(bits / 4, "0") };
    }),
  };
}

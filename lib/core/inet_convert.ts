/**
 * The address conversions of the `aton`, `ntoa`, `pton` and `ntop` commands: text to packed bytes
 * and back, with CPython's `socket` module (on Linux/glibc) as the reference.
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { parseHexBytes, pythonBytesLiteral, toHex } from "./hex_bytes.ts";
import { inetAton } from "./inet_aton.ts";
import { inetNtop4, inetNtop6 } from "./inet_ntop.ts";
import { type InetFamily, inetPton } from "./inet_pton.ts";

export type { InetFamily } from "./inet_pton.ts";

/** The result of `aton` or `pton`: an address packed into network-order bytes. */
export interface PackResult {
  readonly function: "aton" | "pton";
  readonly family: InetFamily;
  /** The text as given. */
  readonly input: string;
  /** The packed bytes as lowercase hex, e.g. `7f000001`. */
  readonly hex: string;
  /** The packed bytes as CPython prints them, e.g. `b'\x7f\x00\x00\x01'`. */
  readonly bytes: string;
  /** The canonical text of the packed address (what ntoa / ntop prints for it). */
  readonly address: string;
}

/** The result of `ntoa` or `ntop`: packed bytes printed as an address. */
export interface UnpackResult {
  readonly function: "ntoa" | "ntop";
  readonly family: InetFamily;
  /** The hex as given. */
  readonly input: string;
  /** The packed bytes as lowercase hex without separators. */
  readonly hex: string;
  /** The address text. */
  readonly address: string;
}

/** Formats packed bytes of `family` as inet_ntop does. */
export function formatPacked(family: InetFamily, bytes: Uint8Array): string {
  return family === "inet" ? inetNtop4(bytes) : inetNtop6(bytes);
}

function packResult(
  fn: "aton" | "pton",
  family: InetFamily,
  input: string,
  bytes: Uint8Array,
): PackResult {
  return {
    function: fn,
    family,
    input,
    hex: toHex(bytes),
    bytes: pythonBytesLiteral(bytes),
    address: formatPacked(family, bytes),
  };
}

/**
 * `socket.inet_aton(text)`: accepts every form glibc's inet_aton accepts ("127.1", "0x7f.1",
 * "010.0.0.1", trailing whitespace and whatever follows it). Throws an {@link InputError}
 * naming the text otherwise.
 */
export function aton(text: string): PackResult {
  const bytes = inetAton(text);
  if (!bytes) {
    throw new InputError(
      `invalid IPv4 address ${quote(text)} for inet_aton: expected one to four '.'-separated ` +
        `numbers in C notation (decimal, 0x-hex or 0-octal), e.g. "127.0.0.1" or "127.1"`,
    );
  }
  return packResult("aton", "inet", text, bytes);
}

/** The family of address text when none is given: inet6 when it holds ':', else inet. */
export function inferFamily(text: string): InetFamily {
  return text.includes(":") ? "inet6" : "inet";
}

/**
 * `socket.inet_pton(family, text)`, strict as glibc is; the family defaults to
 * {@link inferFamily}. Throws an {@link InputError} naming the text otherwise.
 */
export function pton(text: string, family: InetFamily = inferFamily(text)): PackResult {
  const bytes = inetPton(family, text);
  if (!bytes) {
    throw new InputError(
      family === "inet"
        ? `invalid IPv4 address ${quote(text)} for inet_pton: expected four '.'-separated ` +
          `decimal numbers 0-255 without leading zeros, e.g. "192.0.2.1"`
        : `invalid IPv6 address ${quote(text)} for inet_pton: expected eight ':'-separated ` +
          `groups of up to four hex digits, at most one "::", optionally ending in a dotted ` +
          `quad, e.g. "2001:db8::1" or "::ffff:192.0.2.1"`,
    );
  }
  return packResult("pton", family, text, bytes);
}

/** `socket.inet_ntoa(bytes)` for hex text of exactly four bytes. */
export function ntoa(hexText: string): UnpackResult {
  const bytes = parseHexBytes(hexText);
  if (bytes.length !== 4) {
    throw new InputError(
      `packed address ${quote(hexText)} has ${bytes.length} bytes: inet_ntoa needs exactly 4`,
    );
  }
  return {
    function: "ntoa",
    family: "inet",
    input: hexText,
    hex: toHex(bytes),
    address: inetNtop4(bytes),
  };
}

/**
 * `socket.inet_ntop(family, bytes)` for hex text of 4 (inet) or 16 (inet6) bytes; the family
 * defaults to the one the length implies.
 */
export function ntop(hexText: string, family?: InetFamily): UnpackResult {
  const bytes = parseHexBytes(hexText);
  const want = family === "inet" ? [4] : family === "inet6" ? [16] : [4, 16];
  if (!want.includes(bytes.length)) {
    const needs = family ? `${want[0]} for ${family}` : "4 (inet) or 16 (inet6)";
    throw new InputError(
      `packed address ${quote(hexText)} has ${bytes.length} bytes: inet_ntop needs ${needs}`,
    );
  }
  const fam: InetFamily = bytes.length === 4 ? "inet" : "inet6";
  return {
    function: "ntop",
    family: fam,
    input: hexText,
    hex: toHex(bytes),
    address: formatPacked(fam, bytes),
  };
}

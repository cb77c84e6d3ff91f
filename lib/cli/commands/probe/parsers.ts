/**
 * The value parsers of `probe`'s own flags: `--payload` and `--retries`.
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";
import { decodeEscapes } from "../../../core/escapes.ts";
import { parseHexBytes } from "../../../core/hex_bytes.ts";

/** Reads `--payload`: `0x` then hex digits is bytes, anything else text with `\n`-style escapes. */
export function parsePayload(text: string): Uint8Array {
  return /^0[xX][0-9a-fA-F]*$/.test(text) && text.length > 2
    ? parseHexBytes(text)
    : decodeEscapes(text);
}

/** Reads `--retries`: a whole number from 0 to 10. */
export function parseRetries(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 10) {
    throw new InputError(`invalid retries ${quote(text)}: expected a whole number from 0 to 10`);
  }
  return Number(text);
}

/**
 * The byte-order functions of the socket API, `htons`, `htonl`, `ntohs` and `ntohl`, as C and
 * CPython's `socket` module define them: on a little-endian host each one reverses the bytes of
 * its operand, on a big-endian host it returns the operand unchanged.
 * @module
 */
import { applyByteOrder, type ByteOrderFunction, hostEndianness } from "../core/byte_order.ts";
import { InputError, quote } from "../core/errors.ts";

function convert(fn: ByteOrderFunction, value: number): number {
  const max = fn.endsWith("s") ? 0xffff : 0xffffffff;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(
      `invalid ${max === 0xffff ? 16 : 32}-bit value ${quote(value)} for ${fn}: ` +
        `expected a whole number 0-${max}`,
    );
  }
  return applyByteOrder(fn, value, hostEndianness());
}

/**
 * Converts a 16-bit value from host to network byte order (big-endian), as C's `htons`.
 * Throws an {@link InputError} unless `value` is a whole number 0-65535.
 *
 * @example Port 20000 in network order, read on a little-endian host
 * ```ts
 * import { htons } from "@netdiag/netdiag";
 * console.log(htons(20000)); // 8270 on x86-64 and arm64 (0x4e20 becomes 0x204e)
 * ```
 */
export function htons(value: number): number {
  return convert("htons", value);
}

/**
 * Converts a 32-bit value from host to network byte order (big-endian), as C's `htonl`.
 * Throws an {@link InputError} unless `value` is a whole number 0-4294967295.
 *
 * @example
 * ```ts
 * import { htonl } from "@netdiag/netdiag";
 * console.log(htonl(1).toString(16)); // "1000000" on a little-endian host
 * ```
 */
export function htonl(value: number): number {
  return convert("htonl", value);
}

/**
 * Converts a 16-bit value from network byte order (big-endian) to host order, as C's `ntohs`.
 * Throws an {@link InputError} unless `value` is a whole number 0-65535.
 *
 * @example
 * ```ts
 * import { htons, ntohs } from "@netdiag/netdiag";
 * console.log(ntohs(htons(443))); // 443 on every host
 * ```
 */
export function ntohs(value: number): number {
  return convert("ntohs", value);
}

/**
 * Converts a 32-bit value from network byte order (big-endian) to host order, as C's `ntohl`.
 * Throws an {@link InputError} unless `value` is a whole number 0-4294967295.
 *
 * @example
 * ```ts
 * import { htonl, ntohl } from "@netdiag/netdiag";
 * console.log(ntohl(htonl(0x7f000001)) === 0x7f000001); // true
 * ```
 */
export function ntohl(value: number): number {
  return convert("ntohl", value);
}

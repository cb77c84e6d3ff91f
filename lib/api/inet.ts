/**
 * Address conversions of the socket API, as CPython's `socket` module behaves on Linux/glibc:
 * `inetAton` (lenient IPv4: "127.1", "0x7f.1"), `inetNtoa`, `inetPton` (strict IPv4 or IPv6)
 * and `inetNtop`. Packed addresses are `Uint8Array`s in network byte order.
 * @module
 */
import { aton, pton } from "../core/inet_convert.ts";
import { inetAton as coreAton } from "../core/inet_aton.ts";
import { inetPton as corePton } from "../core/inet_pton.ts";
import { inetNtop4, inetNtop6 } from "../core/inet_ntop.ts";
import { InputError, quote } from "../core/errors.ts";

/** An IP address family: 4 (IPv4, `AF_INET`) or 6 (IPv6, `AF_INET6`). */
export type AddressFamily = 4 | 6;

function checkFamily(family: AddressFamily): "inet" | "inet6" {
  if (family === 4) return "inet";
  if (family === 6) return "inet6";
  throw new InputError(`invalid address family ${quote(family)}: expected 4 or 6`);
}

/** `aton` and `pton` throw the explained error for text the raw parsers refuse. */
function unreachable(): never {
  throw new Error("unreachable: the text was refused but no error was thrown");
}

function checkLength(bytes: Uint8Array, want: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== want) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : "not a Uint8Array";
    throw new InputError(`packed address has ${got}: ${what} needs exactly ${want}`);
  }
}

/**
 * Packs an IPv4 address as glibc's `inet_aton` reads it: one to four dot-separated numbers in C
 * notation (decimal, `0x` hex, leading-`0` octal), the last one filling the remaining bytes.
 * Returns four bytes in network order; throws an {@link InputError} where `inet_aton` fails.
 *
 * @example
 * ```ts
 * import { inetAton } from "@netdiag/netdiag";
 * console.log(inetAton("127.1")); // Uint8Array(4) [ 127, 0, 0, 1 ]
 * ```
 */
export function inetAton(text: string): Uint8Array {
  const bytes = coreAton(text);
  if (bytes) return bytes;
  aton(text); // throws the explained error
  return unreachable();
}

/**
 * Formats four bytes in network order as dotted decimal, as `inet_ntoa` does. Throws an
 * {@link InputError} unless `bytes` holds exactly four bytes.
 *
 * @example
 * ```ts
 * import { inetNtoa } from "@netdiag/netdiag";
 * console.log(inetNtoa(new Uint8Array([192, 0, 2, 1]))); // "192.0.2.1"
 * ```
 */
export function inetNtoa(bytes: Uint8Array): string {
  checkLength(bytes, 4, "inet_ntoa");
  return inetNtop4(bytes);
}

/**
 * Packs an address of `family` as glibc's strict `inet_pton` does: exactly four decimal octets
 * for IPv4; eight hex groups, at most one `::` and an optional trailing dotted quad for IPv6.
 * Returns 4 or 16 bytes in network order; throws an {@link InputError} where `inet_pton` fails.
 *
 * @example
 * ```ts
 * import { inetPton } from "@netdiag/netdiag";
 * console.log(inetPton(6, "::1").at(-1)); // 1
 * console.log(inetPton(4, "10.0.0.1")); // Uint8Array(4) [ 10, 0, 0, 1 ]
 * ```
 */
export function inetPton(family: AddressFamily, text: string): Uint8Array {
  const fam = checkFamily(family);
  const bytes = corePton(fam, text);
  if (bytes) return bytes;
  pton(text, fam); // throws the explained error
  return unreachable();
}

/**
 * Formats a packed address of `family` (4 or 16 bytes) as glibc's `inet_ntop` does: dotted
 * decimal, or RFC 5952 IPv6 text (`2001:db8::1`, `::ffff:192.0.2.1`). Throws an
 * {@link InputError} when the length does not fit the family.
 *
 * @example
 * ```ts
 * import { inetNtop, inetPton } from "@netdiag/netdiag";
 * console.log(inetNtop(6, inetPton(6, "2001:0db8:0:0:0:0:0:0001"))); // "2001:db8::1"
 * ```
 */
export function inetNtop(family: AddressFamily, bytes: Uint8Array): string {
  const fam = checkFamily(family);
  checkLength(bytes, fam === "inet" ? 4 : 16, `inet_ntop for IPv${family}`);
  return fam === "inet" ? inetNtop4(bytes) : inetNtop6(bytes);
}

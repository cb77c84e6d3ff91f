/**
 * IPv4 CIDR blocks for `probe`: parsing `10.0.0.0/24` and walking its addresses lazily, one at a
 * time, so that a /16 never becomes an array of 65,536 strings.
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { inetPton4 } from "./inet_pton.ts";

/** The widest block `probe` accepts: /16, 65,536 addresses. */
export const WIDEST_PREFIX = 16;

/** An IPv4 block: its first address as an unsigned 32-bit number and its prefix length. */
export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

/** Parses a strict dotted quad into an unsigned 32-bit number, or undefined. */
export function ipv4ToNumber(text: string): number | undefined {
  const b = inetPton4(text);
  return b ? ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 : undefined;
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function numberToIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * Parses `a.b.c.d/n` (n from {@link WIDEST_PREFIX} to 32). Host bits are cleared, as nmap does:
 * `10.0.0.7/24` is `10.0.0.0/24`. Throws an {@link InputError} naming the block when it is
 * malformed or wider than /16.
 */
export function parseIpv4Cidr(text: string): Ipv4Block {
  const slash = text.indexOf("/");
  const addr = ipv4ToNumber(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (slash < 0 || addr === undefined || !/^[0-9]{1,2}$/.test(bits) || Number(bits) > 32) {
    throw new InputError(
      `invalid CIDR block ${quote(text)}: expected an IPv4 address, "/" and a prefix length ` +
        `${WIDEST_PREFIX}-32, such as "10.0.0.0/24"`,
    );
  }
  const prefix = Number(bits);
  if (prefix < WIDEST_PREFIX) {
    throw new InputError(
      `CIDR block ${quote(text)} is too wide: at most /${WIDEST_PREFIX} ` +
        `(${2 ** (32 - WIDEST_PREFIX)} addresses)`,
    );
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (addr & mask) >>> 0, prefix };
}

/** How many addresses a block holds (every one, network and broadcast included, as nmap). */
export function blockSize(block: Ipv4Block): number {
  return 2 ** (32 - block.prefix);
}

/** Yields the block's addresses in order, one at a time. */
export function* expandIpv4Block(block: Ipv4Block): Generator<string> {
  const size = blockSize(block);
  for (let i = 0; i < size; i++) yield numberToIpv4((block.base + i) >>> 0);
}

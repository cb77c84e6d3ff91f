/**
 * Domain names as netdiag accepts them on the command line: validation (RFC 1035 lengths) and
 * the reverse-lookup names of addresses (`in-addr.arpa`, `ip6.arpa`).
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { inetNtop6 } from "./inet_ntop.ts";
import { inetPton4, inetPton6 } from "./inet_pton.ts";
import { utf8Length } from "./utf8_length.ts";

/** The longest name, without its trailing dot (RFC 1035: 255 octets on the wire). */
export const MAX_NAME_LENGTH = 253;
/** The longest label. */
export const MAX_LABEL_LENGTH = 63;

/** Options of {@link validateDnsName}. */
export interface DnsNameOptions {
  /** Accept the root name `.`; default false (only `dns` queries the root). */
  readonly allowRoot?: boolean;
}

/**
 * Checks a name given on the command line and returns it without a trailing dot. Throws an
 * {@link InputError} naming the value when it is empty, longer than 253 characters (or octets, in
 * UTF-8), has an empty label or a label over 63 octets, or contains whitespace or control
 * characters.
 */
export function validateDnsName(text: string, options: DnsNameOptions = {}): string {
  if (text === "." && options.allowRoot) return ".";
  const plain = plainAsciiName(text);
  if (plain !== undefined) return plain;
  if (text.length === 0) throw new InputError(`invalid name ${quote(text)}: empty`);
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(text)) {
    throw new InputError(`invalid name ${quote(text)}: contains whitespace or control characters`);
  }
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name.length === 0) throw new InputError(`invalid name ${quote(text)}: empty`);
  if (name.length > MAX_NAME_LENGTH) {
    throw new InputError(
      `invalid name ${quote(text)}: ${name.length} characters, at most ${MAX_NAME_LENGTH} allowed`,
    );
  }
  for (const label of name.split(".")) {
    if (label.length === 0) throw new InputError(`invalid name ${quote(text)}: empty label`);
    const octets = utf8Length(label);
    if (octets > MAX_LABEL_LENGTH) {
      const size = octets === label.length ? `${octets} characters` : `${octets} octets in UTF-8`;
      throw new InputError(
        `invalid name ${quote(text)}: label ${quote(label.slice(0, 20) + "…")} has ` +
          `${size}, at most ${MAX_LABEL_LENGTH} allowed`,
      );
    }
  }
  if (utf8Length(name) > MAX_NAME_LENGTH) {
    throw new InputError(
      `invalid name ${quote(text)}: ${utf8Length(name)} octets in UTF-8, ` +
        `at most ${MAX_NAME_LENGTH} allowed`,
    );
  }
  return name;
}

/** An IP address literal: its family, bytes and canonical text (inet_ntop form). */
export interface IpLiteral {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly text: string;
}

/**
 * Parses a strict IP literal (dotted quad or IPv6, optionally in brackets), as inet_pton does;
 * undefined when `text` is not one.
 */
export function parseIpLiteral(text: string): IpLiteral | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = inetPton4(bare);
  if (v4 && bare === text) return { family: 4, bytes: v4, text: bare };
  const v6 = inetPton6(bare);
  if (v6) return { family: 6, bytes: v6, text: inetNtop6(v6) };
  return undefined;
}

/** An IP literal that may carry an IPv6 zone: `fe80::1%eth0`. */
export interface ScopedIpLiteral extends IpLiteral {
  /** The zone (interface name or index) after `%`, when there is one; `text` ends with it. */
  readonly zone?: string;
}

/** A zone as `fe80::1%zone` may name it: an interface name or index. */
const ZONE = /^[\w.@-]{1,64}$/;

/**
 * Parses an IP literal as {@link parseIpLiteral} does, and also an IPv6 address with a zone
 * (`fe80::1%eth0`, `[fe80::1%2]`), as getaddrinfo reads it; undefined when `text` is neither. The
 * zone does not change the address (its bytes, and so its reverse-lookup name).
 */
export function parseScopedIpLiteral(text: string): ScopedIpLiteral | undefined {
  const plain = parseIpLiteral(text);
  if (plain) return plain;
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const at = bare.indexOf("%");
  if (at < 0) return undefined;
  const zone = bare.slice(at + 1);
  const v6 = inetPton6(bare.slice(0, at));
  if (!v6 || !ZONE.test(zone)) return undefined;
  return { family: 6, bytes: v6, text: `${inetNtop6(v6)}%${zone}`, zone };
}

/**
 * The reverse-lookup name of an address: `1.0.0.127.in-addr.arpa` for 127.0.0.1, the 32 nibbles
 * under `ip6.arpa` for IPv6 (a zone, `fe80::1%eth0`, is left out). Throws an {@link InputError}
 * when `address` is not an IP literal.
 */
export function reverseName(address: string): string {
  const ip = parseScopedIpLiteral(address);
  if (!ip) {
    throw new InputError(
      `invalid address ${quote(address)}: expected an IPv4 (a.b.c.d) or IPv6 address`,
    );
  }
  return reverseNameOf(ip);
}

/**
 * The reverse-lookup name of a parsed address. With `unmap`, IPv4-mapped (`::ffff:a.b.c.d`) and
 * IPv4-compatible (`::a.b.c.d`, not `::1`) addresses get their IPv4 name, as glibc's
 * gethostbyaddr asks.
 */
export function reverseNameOf(ip: IpLiteral, unmap = false): string {
  if (ip.family === 4) return [...ip.bytes].reverse().join(".") + ".in-addr.arpa";
  if (unmap && ip.bytes.subarray(0, 10).every((b) => b === 0)) {
    const v4 = ip.bytes.subarray(12);
    const mapped = ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
    const compat = ip.bytes[10] === 0 && ip.bytes[11] === 0 &&
      !(v4[0] === 0 && v4[1] === 0 && v4[2] === 0 && v4[3] === 1);
    if (mapped || compat) return [...v4].reverse().join(".") + ".in-addr.arpa";
  }
  const nibbles: string[] = [];
  for (let i = ip.bytes.length - 1; i >= 0; i--) {
    nibbles.push((ip.bytes[i] & 0xf).toString(16), (ip.bytes[i] >> 4).toString(16));
  }
  return nibbles.join(".") + ".ip6.arpa";
}

/**
 * The name without its trailing dot when it is printable ASCII and valid (the common case of a
 * batch, checked in one pass); undefined for anything else, which the full checks then name.
 */
function plainAsciiName(text: string): string | undefined {
  const end = text.length > 1 && text.charCodeAt(text.length - 1) === 0x2e
    ? text.length - 1
    : text.length;
  if (end === 0 || end > MAX_NAME_LENGTH) return undefined;
  let label = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return undefined; // whitespace, control or not ASCII
    if (c !== 0x2e) label++;
    else if (label === 0) return undefined;
    else label = 0;
    if (label > MAX_LABEL_LENGTH) return undefined;
  }
  if (label === 0) return undefined;
  return end === text.length ? text : text.slice(0, end);
}

/** Compares two names as DNS does: ASCII case-insensitive, trailing dot ignored. */
export function sameName(a: string, b: string): boolean {
  return stripDot(a).toLowerCase() === stripDot(b).toLowerCase();
}

/** Removes one trailing dot, except from the root name. */
export function stripDot(name: string): string {
  return name.length > 1 && name.endsWith(".") ? name.slice(0, -1) : name;
}

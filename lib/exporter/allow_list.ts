/**
 * The exporter's target allow-list (`--allow-target`): CIDR blocks for IP literals and host
 * patterns (`db.internal`, `*.example.com`) for names, and the host of a probe's target as each
 * prober reads it. Names are matched as written, never resolved here: a check that resolved the
 * name and the probe that resolves it again could see different answers (DNS rebinding).
 * @module
 */
import { parseIpLiteral } from "../core/dns_name.ts";
import { InputError, quote } from "../core/errors.ts";
import type { ProberName } from "./types.ts";

/** One `--allow-target` entry. */
export type AllowEntry =
  | {
    readonly kind: "cidr";
    readonly family: 4 | 6;
    readonly bytes: Uint8Array;
    readonly prefix: number;
    readonly text: string;
  }
  | { readonly kind: "host"; readonly pattern: string };

const HOST_PATTERN = /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/;

/**
 * Parses an `--allow-target` value: `10.0.0.0/8`, `::1/128`, an address (a /32 or /128), a host
 * name, `*.example.com` (any name under example.com, not example.com itself) or `*` (any host).
 * Throws an {@link InputError} naming the value otherwise.
 */
export function parseAllowEntry(text: string): AllowEntry {
  const slash = text.indexOf("/");
  const ip = parseIpLiteral(slash < 0 ? text : text.slice(0, slash));
  if (ip) {
    const max = ip.family === 4 ? 32 : 128;
    const prefixText = slash < 0 ? String(max) : text.slice(slash + 1);
    const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(prefix >= 0 && prefix <= max)) {
      throw new InputError(`invalid allow-target ${quote(text)}: prefix length must be 0-${max}`);
    }
    return { kind: "cidr", family: ip.family, bytes: ip.bytes, prefix, text };
  }
  const pattern = text.toLowerCase();
  if (pattern === "*" || (slash < 0 && pattern.length <= 253 && HOST_PATTERN.test(pattern))) {
    return { kind: "host", pattern: pattern.replace(/\.$/, "") };
  }
  throw new InputError(
    `invalid allow-target ${quote(text)}: expected a CIDR block (10.0.0.0/8), an address, ` +
      "a host name or *.domain",
  );
}

/** Whether the first `prefix` bits of `a` and `b` are equal. */
function samePrefix(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const whole = prefix >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole] & mask) === (b[whole] & mask);
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as IPv4; other addresses unchanged. */
function unmapped(ip: { family: 4 | 6; bytes: Uint8Array }): { family: 4 | 6; bytes: Uint8Array } {
  const b = ip.bytes;
  if (ip.family === 6 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return { family: 4, bytes: b.slice(12) };
  }
  return ip;
}

/** Whether `host` (an IP literal or a name, as in the target) is allowed by `entries`. */
export function hostAllowed(entries: readonly AllowEntry[], host: string): boolean {
  const literal = parseIpLiteral(host);
  const ip = literal ? unmapped(literal) : undefined;
  const name = host.toLowerCase().replace(/\.$/, "");
  return entries.some((e) => {
    if (e.kind === "cidr") {
      return ip !== undefined && ip.family === e.family && samePrefix(ip.bytes, e.bytes, e.prefix);
    }
    if (e.pattern === "*") return true;
    if (ip) return false;
    if (e.pattern.startsWith("*.")) return name.endsWith(e.pattern.slice(1));
    return name === e.pattern;
  });
}

/**
 * The host a probe of `target` connects to, as the prober reads the target: a URL for `http`
 * (`http://` assumed without a scheme, as blackbox_exporter does), `host:port` for `tcp`,
 * `host` or `host:port` for `dns`. Brackets of IPv6 literals removed; undefined when there is
 * no host in it.
 */
export function targetHost(prober: ProberName, target: string): string | undefined {
  if (prober === "http") {
    try {
      const url = new URL(target.includes("://") ? target : `http://${target}`);
      const host = url.hostname;
      return host.startsWith("[") ? host.slice(1, -1) : host || undefined;
    } catch {
      return undefined;
    }
  }
  if (target.startsWith("[")) {
    const end = target.indexOf("]");
    return end > 1 ? target.slice(1, end) : undefined;
  }
  const colons = target.split(":").length - 1;
  if (colons > 1 && prober === "dns") return target; // a bare IPv6 address
  const host = colons === 0 ? target : target.slice(0, target.lastIndexOf(":"));
  return host || undefined;
}

/** Whether `host` is a loopback address or `localhost`: listening there needs no allow-list. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const ip = parseIpLiteral(h);
  if (!ip) return false;
  const u = unmapped(ip);
  if (u.family === 4) return u.bytes[0] === 127;
  return u.bytes.slice(0, 15).every((x) => x === 0) && u.bytes[15] === 1;
}

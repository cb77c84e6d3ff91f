/**
 * Probe targets as text: `host:port`, `host:lo-hi`, `host:22,80,http`, `[v6addr]:port`,
 * `unix:/path`, a bare host or IPv6 address (ports given separately), and IPv4 CIDR blocks up
 * to /16 (`10.0.0.0/24`, `10.0.0.0/24:80`).
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { inetPton6 } from "../core/inet_pton.ts";
import { type Ipv4Block, ipv4ToNumber, parseIpv4Cidr } from "../core/ipv4_cidr.ts";
import { parsePortList, type PortToken } from "../core/port_list.ts";
import { parseUnixPath } from "../core/unix_path.ts";

/** One parsed target. `ports` is null when the target names none (the default ports apply). */
export type ProbeTarget =
  | { readonly kind: "unix"; readonly text: string; readonly path: string }
  | {
    readonly kind: "host";
    readonly text: string;
    /** A host name or an IP literal (IPv6 without brackets). */
    readonly host: string;
    readonly ports: readonly PortToken[] | null;
  }
  | {
    readonly kind: "block";
    readonly text: string;
    readonly block: Ipv4Block;
    readonly ports: readonly PortToken[] | null;
  };

const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*)(?:\.[A-Za-z0-9_-]+)*\.?$/;
const FORMS = 'expected "host:port", "host:lo-hi", "[v6addr]:port", "unix:/path", ' +
  "an IPv4 CIDR block up to /16, or a host with -p";

function malformed(text: string, why = FORMS): InputError {
  return new InputError(`invalid target ${quote(text)}: ${why}`);
}

/** Whether `text` is IPv6 text (an optional `%zone` allowed). */
export function isIpv6Literal(text: string): boolean {
  const pct = text.indexOf("%");
  const addr = pct < 0 ? text : text.slice(0, pct);
  return (pct < 0 || pct < text.length - 1) && inetPton6(addr) !== undefined;
}

function checkHost(host: string, text: string): string {
  if (host === "") throw malformed(text, `no host before ":"; ${FORMS}`);
  if (/^[0-9.]+$/.test(host)) {
    if (ipv4ToNumber(host) === undefined) {
      throw malformed(text, `${quote(host)} is not an IPv4 address (four numbers 0-255)`);
    }
    return host;
  }
  if (!HOSTNAME.test(host) || host.length > 253) throw malformed(text);
  return host;
}

function ports(list: string, text: string): PortToken[] {
  if (list === "") throw malformed(text, `no port after ":"; ${FORMS}`);
  return parsePortList(list);
}

/**
 * Parses one target. Throws an {@link InputError} naming it when it is malformed, its ports
 * are bad or its CIDR block is wider than /16 or IPv6.
 *
 * @example
 * ```ts
 * import { parseProbeTarget } from "./target.ts";
 * parseProbeTarget("[::1]:22").kind; // "host"
 * ```
 */
export function parseProbeTarget(text: string): ProbeTarget {
  if (text.trim() !== text || text === "") throw malformed(text);
  if (text.startsWith("unix:")) {
    const path = text.slice(5);
    if (path === "") throw malformed(text, 'no path after "unix:"');
    return { kind: "unix", text, path: parseUnixPath(path) };
  }
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    const host = text.slice(1, close);
    if (close < 0 || !isIpv6Literal(host)) {
      throw malformed(text, `expected an IPv6 address in brackets, such as "[::1]:22"`);
    }
    const rest = text.slice(close + 1);
    if (rest === "") return { kind: "host", text, host, ports: null };
    if (!rest.startsWith(":")) throw malformed(text);
    return { kind: "host", text, host, ports: ports(rest.slice(1), text) };
  }
  const colons = text.split(":").length - 1;
  if (colons >= 2) {
    const addr = text.includes("/") ? text.slice(0, text.indexOf("/")) : text;
    if (text.includes("/") && isIpv6Literal(addr)) {
      throw malformed(text, "IPv6 CIDR blocks are not supported; only IPv4 blocks up to /16");
    }
    if (!isIpv6Literal(text)) {
      throw malformed(text, `not an IPv6 address; put a port after it as "[v6addr]:port"`);
    }
    return { kind: "host", text, host: text, ports: null };
  }
  const colon = text.indexOf(":");
  const hostPart = colon < 0 ? text : text.slice(0, colon);
  const portTokens = colon < 0 ? null : ports(text.slice(colon + 1), text);
  if (hostPart.includes("/")) {
    return { kind: "block", text, block: parseIpv4Cidr(hostPart), ports: portTokens };
  }
  return { kind: "host", text, host: checkHost(hostPart, text), ports: portTokens };
}

/**
 * Picks the addresses to connect to for a host name, for `connect` and `send`: IP literals as
 * they are, names through the system resolver ({@link systemLookup}: getaddrinfo, which honours
 * /etc/hosts and nsswitch like `nc` does), failures as one error with its exit code.
 * @module
 */
import { isIP } from "node:net";
import { InputError, OperationalError, quote } from "../core/errors.ts";
import { systemLookup } from "./system_resolver.ts";

/** An address of a host name, in the order the system resolver gave them. */
export interface HostAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Options of {@link lookupHost}. */
export interface LookupHostOptions {
  /** Only IPv4 (4) or only IPv6 (6) addresses; default both. */
  readonly family?: 4 | 6;
  /** Give up after this many milliseconds; default 5 000. */
  readonly timeoutMs?: number;
  /** Stop waiting when this aborts: the lookup then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Resolves `host` to its addresses (IP literals as themselves, `[::1]` unwrapped). Throws an
 * {@link OperationalError} (exit 3) `cannot resolve "name": no such host` (or "timed out", "no
 * IPv6 address", "temporary resolver failure") when there is nothing to connect to, and an
 * {@link InputError} for a literal of the other family than the one asked for.
 */
export async function lookupHost(
  host: string,
  options: LookupHostOptions = {},
): Promise<HostAddress[]> {
  const { family, timeoutMs = 5000, signal } = options;
  const name = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const literal = isIP(name);
  if (literal) {
    if (family && literal !== family) {
      throw new InputError(`cannot use ${quote(name)}: not an IPv${family} address`);
    }
    return [{ address: name, family: literal as 4 | 6 }];
  }
  const found = await systemLookup(name, { family, timeoutMs, signal });
  signal?.throwIfAborted();
  if (found.status === "ok") return [...found.addresses];
  const why = found.status === "not-found"
    ? family ? `no IPv${family} address` : "no such host"
    : found.status === "timeout"
    ? "timed out"
    : found.status === "temporary-failure"
    ? "temporary resolver failure"
    : `resolver error ${found.code ?? "unknown"}`;
  throw new OperationalError(`cannot resolve ${quote(name)}: ${why}`);
}

/**
 * The address to bind for a server's `--host`: an IP literal as it is (a zone kept), a name
 * resolved to its first address, so that a name that does not resolve is one clear
 * {@link OperationalError} (`cannot resolve "x": no such host`, exit 3) before anything binds.
 */
export async function lookupBindHost(
  host: string,
  options: LookupHostOptions = {},
): Promise<string> {
  const name = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(name) || isIP(name.replace(/%.*$/s, ""))) return name;
  const [first] = await lookupHost(name, options);
  return first.address;
}

/**
 * The family of an IP address literal as node:net's `isIP` says: 4, 6, or 0 for anything else
 * (a name). Engines outside lib/net ask here instead of importing the runtime's socket module.
 */
export function ipFamily(text: string): 0 | 4 | 6 {
  return isIP(text) as 0 | 4 | 6;
}

/**
 * CPython's `socket.getfqdn()` rule, given the answers of gethostname and gethostbyaddr.
 * @module
 */

/** What gethostbyaddr answered for the host name (or undefined when it failed). */
export interface HostByAddr {
  readonly hostname: string;
  readonly aliases: readonly string[];
}

/**
 * Picks the fully qualified name as CPython's getfqdn does: when gethostbyaddr(name) succeeds,
 * the first of [hostname, ...aliases] that contains a dot, else its hostname; when it fails,
 * `name` itself (the result of gethostname).
 */
export function pickFqdn(name: string, byAddr: HostByAddr | undefined): string {
  if (!byAddr) return name;
  const candidates = [byAddr.hostname, ...byAddr.aliases];
  return candidates.find((n) => n.includes(".")) ?? byAddr.hostname;
}

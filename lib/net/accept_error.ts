/**
 * Telling a failed accept of one connection from a failed listener. On Linux, accept(2) passes
 * on errors of the connection being accepted (a client that connected and reset before it was
 * accepted, as `nmap -sT` does), and the man page says to treat them like EAGAIN and accept
 * again. Deno's `accept` throws them (ENOTCONN: the connection is accepted, then its peer
 * address cannot be read); a listener must never stop for them.
 * @module
 */

/** The errno codes of accept(2) that concern the connection, not the listener. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ENOTCONN",
  "ECONNABORTED",
  "ECONNRESET",
  "EPROTO",
  "ENETDOWN",
  "ENOPROTOOPT",
  "EHOSTDOWN",
  "ENONET",
  "EHOSTUNREACH",
  "EOPNOTSUPP",
  "ENETUNREACH",
]);

/** Deno's error class names for the same. */
const CONNECTION_NAMES: ReadonlySet<string> = new Set([
  "NotConnected",
  "ConnectionAborted",
  "ConnectionReset",
]);

/**
 * Whether an error thrown by a listener's accept concerns only the connection being accepted
 * (the caller accepts the next one at once), not the listener.
 */
export function isConnectionAcceptError(error: unknown): boolean {
  const e = error as { code?: string; name?: string } | undefined;
  return (e?.code !== undefined && CONNECTION_CODES.has(e.code)) ||
    (e?.name !== undefined && CONNECTION_NAMES.has(e.name));
}

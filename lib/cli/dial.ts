/**
 * Opening a stream connection for `connect` and `send`: resolve the name, try its addresses in
 * order, and turn failures into one message with the right exit code.
 * @module
 */
import { NegativeError, OperationalError, quote } from "../core/errors.ts";
import { lookupHost } from "../net/host_lookup.ts";
import {
  type Connection,
  formatAddress,
  type NetAdapter,
  NetError,
  type SocketAddress,
} from "../net/mod.ts";
import { formatDurationSetting } from "../output/views/transfer_view.ts";

/** What to connect to. */
export type DialTarget =
  | { readonly host: string; readonly port: number; readonly family?: 4 | 6 }
  | { readonly unix: string };

/** A connection and how it was made. */
export interface Dialled {
  readonly conn: Connection;
  /** For reports: `127.0.0.1:80`, `localhost (127.0.0.1:80, 1 of 2 addresses)`, a socket path. */
  readonly label: string;
  /** The address connected to. */
  readonly address: string;
  /** Milliseconds from the first attempt to the connection. */
  readonly ms: number;
}

/**
 * Connects to a host (each of its addresses in turn, `timeoutMs` per attempt) or a Unix socket.
 * Throws {@link NegativeError} (exit 1) when every attempt was refused, otherwise
 * {@link OperationalError} (exit 3): timeout, unreachable, unresolvable name.
 * `onFailure` hears about each failed attempt when there are several addresses.
 */
export async function dialStream(
  adapter: NetAdapter,
  target: DialTarget,
  timeoutMs: number,
  onFailure?: (address: string, why: string) => void,
): Promise<Dialled> {
  const started = performance.now();
  if ("unix" in target) {
    try {
      const conn = await adapter.connect({ transport: "unix", path: target.unix, timeoutMs });
      return { conn, label: target.unix, address: target.unix, ms: performance.now() - started };
    } catch (error) {
      throw dialError([{ address: target.unix, error }], timeoutMs);
    }
  }
  const addresses = await lookupHost(target.host, { family: target.family });
  const failures: { address: string; error: unknown }[] = [];
  for (const { address } of addresses) {
    const where = formatAddress({ hostname: address, port: target.port });
    try {
      const conn = await adapter.connect({
        transport: "tcp",
        hostname: address,
        port: target.port,
        timeoutMs,
      });
      return {
        conn,
        label: describePeer(target.host, where, addresses.length),
        address: where,
        ms: performance.now() - started,
      };
    } catch (error) {
      failures.push({ address: where, error });
      if (addresses.length > 1) onFailure?.(where, failureReason(error, timeoutMs));
    }
  }
  throw dialError(
    failures,
    timeoutMs,
    addresses.length > 1 ? `${target.host} port ${target.port}` : undefined,
  );
}

/** A socket address for reports; a Unix peer without a path shows as "a unix client". */
export function peerLabel(addr: SocketAddress): string {
  if (addr.transport === "unix" && !addr.path) return "a unix client";
  return formatAddress(addr);
}

function describePeer(host: string, used: string, count: number): string {
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  if (used.startsWith(`${bare}:`) || used.startsWith(`[${bare}]:`)) return used;
  return `${host} (${used}${count > 1 ? `, 1 of ${count} addresses` : ""})`;
}

/** The short reason of a failed network operation: "refused", "timed out after 2s". */
export function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof NetError) {
    return error.code === "ETIMEDOUT"
      ? `timed out after ${formatDurationSetting(timeoutMs)}`
      : error.message.slice(error.message.lastIndexOf(": ") + 2);
  }
  return String(error);
}

function dialError(
  failures: { address: string; error: unknown }[],
  timeoutMs: number,
  name?: string,
): Error {
  const last = failures[failures.length - 1];
  const allRefused = failures.every((f) =>
    f.error instanceof NetError && f.error.code === "ECONNREFUSED"
  );
  const message = name !== undefined && failures.length > 1
    ? `cannot connect to ${quote(name)}: ` +
      failures.map((f) => `${f.address} ${failureReason(f.error, timeoutMs)}`).join(", ")
    : `cannot connect to ${quote(last.address)}: ${failureReason(last.error, timeoutMs)}`;
  return allRefused
    ? new NegativeError(message, { cause: last.error })
    : new OperationalError(message, { cause: last.error });
}

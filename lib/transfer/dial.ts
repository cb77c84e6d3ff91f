/**
 * Connecting `send` to its receiver: a Unix socket path, or each address of a host in turn,
 * failures turned into one message with the right exit code.
 * @module
 */
import { NegativeError, OperationalError, quote } from "../core/errors.ts";
import { formatLimit } from "../core/progress_rule.ts";
import type { TransferAddress, TransferTarget } from "../core/transfer.ts";
import { lookupHost } from "../net/host_lookup.ts";
import { type Connection, formatAddress, type NetAdapter, NetError } from "../net/types.ts";

/** A connection to a receiver and the address it reached. */
export interface Dialled {
  readonly conn: Connection;
  readonly peer: TransferAddress;
}

/** Options of {@link dialReceiver}. */
export interface DialReceiverOptions {
  /** Give up on one address after this many milliseconds. */
  readonly timeoutMs: number;
  /** Only the host's IPv4 (4) or IPv6 (6) addresses; default both. */
  readonly family?: 4 | 6;
}

/**
 * Connects to `target`: a Unix socket, or the host's addresses (of `options.family` only, when
 * given) one after the other, `options.timeoutMs` per attempt. Throws {@link NegativeError}
 * (exit 1) when every attempt was refused, otherwise {@link OperationalError} (exit 3): timeout,
 * unreachable, a name that does not resolve or has no address of the family; an InputError for
 * an IP literal of the other family; the signal's reason once `signal` is aborted.
 */
export async function dialReceiver(
  adapter: NetAdapter,
  target: TransferTarget,
  options: DialReceiverOptions,
  signal?: AbortSignal,
): Promise<Dialled> {
  const { timeoutMs, family } = options;
  signal?.throwIfAborted();
  if (target.transport === "unix") {
    try {
      const conn = await adapter.connect({
        transport: "unix",
        path: target.path,
        timeoutMs,
        signal,
      });
      return { conn, peer: { path: target.path } };
    } catch (error) {
      signal?.throwIfAborted();
      throw dialError([{ address: target.path, error }], timeoutMs);
    }
  }
  const addresses = await lookupHost(target.host, { family, signal });
  const failures: { address: string; error: unknown }[] = [];
  for (const { address, family } of addresses) {
    try {
      const conn = await adapter.connect({
        transport: "tcp",
        hostname: address,
        port: target.port,
        timeoutMs,
        signal,
      });
      return { conn, peer: { address, port: target.port, family } };
    } catch (error) {
      signal?.throwIfAborted();
      failures.push({ address: formatAddress({ hostname: address, port: target.port }), error });
    }
  }
  const name = addresses.length > 1 ? `${target.host} port ${target.port}` : undefined;
  throw dialError(failures, timeoutMs, name);
}

/** The short reason of a failed attempt: "refused", "timed out after 2s". */
function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof NetError) {
    return error.code === "ETIMEDOUT"
      ? `timed out after ${formatLimit(timeoutMs)}`
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
  const message = name !== undefined
    ? `cannot connect to ${quote(name)}: ` +
      failures.map((f) => `${f.address} ${failureReason(f.error, timeoutMs)}`).join(", ")
    : `cannot connect to ${quote(last.address)}: ${failureReason(last.error, timeoutMs)}`;
  return allRefused
    ? new NegativeError(message, { cause: last.error })
    : new OperationalError(message, { cause: last.error });
}

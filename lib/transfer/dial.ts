/**
 * Connecting `send` to its receiver through the one dialer (lib/net/dial.ts): a Unix socket
 * path, or each address of a host in turn.
 * @module
 */
import { NegativeError, OperationalError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import type { TransferAddress, TransferTarget } from "../core/transfer.ts";
import { dial, DialError } from "../net/dial.ts";
import type { Connection, NetAdapter } from "../net/types.ts";

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
 * given) one after the other, `options.timeoutMs` per attempt. Rejects with a NegativeError
 * (exit 1) when every attempt was refused, an OperationalError (exit 3) for any other failure
 * (the dialer's message: every attempt in one line) or a name that does not resolve or has no
 * address of the family, an InputError for an IP literal of the other family, and the signal's
 * reason once `signal` is aborted.
 */
export async function dialReceiver(
  adapter: NetAdapter,
  target: TransferTarget,
  options: DialReceiverOptions,
  signal?: AbortSignal,
): Promise<Dialled> {
  const { timeoutMs, family } = options;
  const dialled = await dial(
    adapter,
    target.transport === "unix"
      ? { path: target.path, timeoutMs }
      : { host: target.host, port: target.port, family, timeoutMs },
    {},
    signal,
  ).catch((error) => {
    // The library's promise for `sendFiles`: a refusal is a NegativeError, else Operational.
    if (!(error instanceof DialError)) throw error;
    throw error.exitCode === ExitCode.Negative
      ? new NegativeError(error.message, { cause: error })
      : new OperationalError(error.message, { cause: error });
  });
  return { conn: dialled.connection, peer: dialled.remote };
}

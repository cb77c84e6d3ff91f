/**
 * `sendFiles` and `startReceiver` for library users: verified file transfer (each file checked
 * by size and SHA-256 before the receiver saves it) on the runtime's socket adapter.
 * @module
 */
import { InputError } from "../core/errors.ts";
import { netAdapter } from "../net/mod.ts";
import {
  parseTransferTarget,
  type ReceiveHooks,
  type ReceiveResult,
  sendFiles as sendEngine,
  type SendHooks,
  type SendResult,
  startReceiver as startEngine,
  type TransferTarget,
} from "../transfer/mod.ts";

export type { ReceiveHooks, SendHooks };

/**
 * Where `sendFiles` delivers: `"HOST:PORT"`, `"[IPv6]:PORT"` or a Unix socket path (text with a
 * `/`); an IP endpoint (`address`: an IP address or a host name; a {@link ReceiverHandle} fits);
 * or a Unix socket's `path` (a {@link UnixReceiverHandle} fits).
 */
export type SendTarget =
  | string
  | { readonly address: string; readonly port: number }
  | { readonly path: string };

/** Options of {@link sendFiles}; `files` and `target` are required. */
export interface SendFilesOptions {
  /** The files to send, in order: paths of regular files with distinct, sendable names. */
  readonly files: readonly string[];
  /** The receiver. */
  readonly target: SendTarget;
  /** Give up connecting (per address of a name) after this many milliseconds; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Give up when the receiver neither takes bytes nor answers for this many ms; default 30 000. */
  readonly idleTimeoutMs?: number;
  /**
   * Aborting before the connection rejects with the signal's reason; after, it stops the
   * transfer, files left unsettled fail and the result says `interrupted: true`.
   */
  readonly signal?: AbortSignal;
}

function toTransferTarget(target: SendTarget): TransferTarget {
  if (typeof target === "string") return parseTransferTarget(target);
  if ("path" in target) return { transport: "unix", path: target.path };
  if (typeof target.address !== "string" || !Number.isInteger(target.port)) {
    throw new InputError("invalid target: expected { address, port } or { path }");
  }
  return { transport: "tcp", host: target.address.replace(/^\[(.*)\]$/, "$1"), port: target.port };
}

/**
 * Sends files to a receiver (`startReceiver`, `netdiag receive`, or any peer of the transfer
 * protocol) and resolves with how each fared: `verified` (saved after the receiver checked size
 * and SHA-256), `refused` or `failed`. Rejects with an `InputError` before connecting for a file
 * that is missing, not a regular file, or has an unsafe or duplicate name; with a
 * `NegativeError` when the connection is refused and an `OperationalError` for other connect
 * failures. Once connected it resolves whatever the network does.
 *
 * @example Send a file to a local receiver
 * ```ts
 * import { sendFiles, startReceiver } from "@netdiag/netdiag";
 * const inbox = await Deno.makeTempDir();
 * const file = await Deno.makeTempFile({ suffix: ".txt" });
 * await Deno.writeTextFile(file, "hello\n");
 * const receiver = await startReceiver({ dir: inbox });
 * const { summary } = await sendFiles({ files: [file], target: receiver });
 * console.log(summary.verified); // 1
 * await receiver.close();
 * await Deno.remove(inbox, { recursive: true });
 * await Deno.remove(file);
 * ```
 */
export async function sendFiles(
  options: SendFilesOptions,
  hooks: SendHooks = {},
): Promise<SendResult> {
  options.signal?.throwIfAborted();
  const target = toTransferTarget(options.target);
  const adapter = await netAdapter();
  return await sendEngine(
    adapter,
    {
      files: options.files,
      target,
      connectTimeoutMs: options.connectTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
    },
    hooks,
    options.signal,
  );
}

/** Options of {@link startReceiver}; only `dir` is required. */
export interface ReceiverOptions {
  /** The directory to save into; it must exist. Nothing is ever written outside it. */
  readonly dir: string;
  /** The address to bind (a name is bound to its first address); default `127.0.0.1`. */
  readonly host?: string;
  /** The TCP port; default 0 (the system picks a free one: read it from `port`). */
  readonly port?: number;
  /** Listen on this Unix socket path instead of TCP (removed when the receiver stops). */
  readonly unix?: string;
  /** Replace existing files; default false (they are refused). */
  readonly overwrite?: boolean;
  /** Refuse files larger than this many bytes; default 64 GiB. */
  readonly maxSizeBytes?: number;
  /** Stop after the first sender that sent anything; default false. */
  readonly once?: boolean;
  /** Senders served at once; more are turned away with a "busy" answer. Default 16. */
  readonly maxConnections?: number;
  /** Cut a sender silent for this many milliseconds; default 30 000. */
  readonly idleTimeoutMs?: number;
  /** Cut a sender without a whole file header this many ms after connecting; default 10 000. */
  readonly headerTimeoutMs?: number;
  /** Cut a sender slower than this many bytes per second on average (0: no minimum); 1024. */
  readonly minRateBytesPerSecond?: number;
  /** The span the minimum rate is averaged over, in milliseconds; default 10 000. */
  readonly minRateWindowMs?: number;
  /** Keep every file's result for the final `results`; default true (false: constant memory). */
  readonly keepResults?: boolean;
  /** Remove the temporary files a killed receiver left in `dir` at start; default true. */
  readonly removeLeftovers?: boolean;
  /** Stops the receiver when aborted, as `close()` does. */
  readonly signal?: AbortSignal;
}

/** What every running receiver offers, on TCP or on a Unix socket. */
export interface ReceiverControls extends AsyncDisposable {
  /** The directory it saves into (absolute). */
  readonly dir: string;
  /** Senders being served now. */
  readonly active: number;
  /**
   * Resolves with the summary and every file's result once the receiver has stopped (by
   * `close()`, the signal, or after its one sender with `once`); rejects when accepting failed.
   */
  readonly closed: Promise<ReceiveResult>;
  /** Stops listening and cuts every sender (partial files are deleted); resolves as `closed`. */
  close(): Promise<ReceiveResult>;
}

/** A receiver on TCP: its bound address (a handle fits `sendFiles`'s `target`). */
export interface ReceiverHandle extends ReceiverControls {
  /** The bound IP address, e.g. `127.0.0.1`. */
  readonly address: string;
  /** The bound port: the one the system picked when `port` was 0. */
  readonly port: number;
  /** 4 for IPv4, 6 for IPv6. */
  readonly family: 4 | 6;
}

/** A receiver on a Unix socket (a handle fits `sendFiles`'s `target`). */
export interface UnixReceiverHandle extends ReceiverControls {
  /** The socket's path. */
  readonly path: string;
}

/**
 * Starts a receiver on a Unix socket (`unix`): see the TCP form for what it does.
 *
 * @example
 * ```ts
 * import { startReceiver } from "@netdiag/netdiag";
 * const dir = await Deno.makeTempDir();
 * const receiver = await startReceiver({ dir, unix: `${dir}/recv.sock` });
 * console.log(receiver.path.endsWith("recv.sock")); // true
 * await receiver.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function startReceiver(
  options: ReceiverOptions & { readonly unix: string },
  hooks?: ReceiveHooks,
): Promise<UnixReceiverHandle>;
/**
 * Starts a receiver that saves verified files into `options.dir` (an existing directory; nothing
 * is written outside it); resolves once it listens, by default on 127.0.0.1 and a free port.
 * Rejects with an `InputError` when `dir` is not a directory and a `NetError` when it cannot
 * listen. `hooks.onFile` hears every file as it settles.
 *
 * @example Receive into a temporary directory, then stop
 * ```ts
 * import { startReceiver } from "@netdiag/netdiag";
 * const dir = await Deno.makeTempDir();
 * const receiver = await startReceiver({ dir });
 * console.log(`receiving on ${receiver.address}:${receiver.port}`);
 * const { summary } = await receiver.close();
 * console.log(summary.saved); // 0
 * await Deno.remove(dir);
 * ```
 */
export function startReceiver(
  options: ReceiverOptions & { readonly unix?: undefined },
  hooks?: ReceiveHooks,
): Promise<ReceiverHandle>;
export async function startReceiver(
  options: ReceiverOptions,
  hooks: ReceiveHooks = {},
): Promise<ReceiverHandle | UnixReceiverHandle> {
  const { signal, port = 0, maxConnections, ...rest } = options;
  const adapter = await netAdapter();
  const receiver = await startEngine(
    adapter,
    { ...rest, port, maxConns: maxConnections },
    hooks,
    signal,
  );
  const handle: ReceiverControls & typeof receiver.address = {
    ...receiver.address,
    dir: receiver.dir,
    get active() {
      return receiver.active;
    },
    closed: receiver.done,
    close: () => receiver.stop(),
    async [Symbol.asyncDispose]() {
      await receiver.stop();
    },
  };
  return handle as ReceiverHandle | UnixReceiverHandle;
}

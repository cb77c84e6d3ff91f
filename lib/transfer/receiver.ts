/**
 * The receiving side of a verified file transfer (`netdiag receive`): listen, serve each sender
 * in its own session (lib/transfer/receive_session.ts) into one directory
 * (lib/transfer/receive_store.ts), and report every file settled. Temporary files a killed
 * receiver left behind are removed at start.
 * @module
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError, quote } from "../core/errors.ts";
import { describeFsError } from "../core/fs_error.ts";
import type { ProgressLimits } from "../core/progress_rule.ts";
import {
  type ReceivedFile,
  type ReceiveSummary,
  roundMs,
  type TransferAddress,
} from "../core/transfer.ts";
import { lookupBindHost } from "../net/host_lookup.ts";
import type { Connection, Listener, NetAdapter } from "../net/types.ts";
import { ReceiveSession, transferAddress, turnAway } from "./receive_session.ts";
import { FileStore } from "./receive_store.ts";
import { reapTempFiles } from "./temp_files.ts";

/** Options of {@link startReceiver}; every one but `dir` has a default. */
export interface ReceiveOptions {
  /** The directory to save into; it must exist. Nothing is ever written outside it. */
  readonly dir: string;
  /** The address to bind (a name is resolved to its first address); default 127.0.0.1. */
  readonly host?: string;
  /** The TCP port; 0 picks a free one (see {@link Receiver.address}). Default 9009. */
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
  readonly maxConns?: number;
  /** Cut a sender silent for this long; default 30 000 ms. */
  readonly idleTimeoutMs?: number;
  /** Cut a sender without a whole file header this long after connecting or its last file; 10 000. */
  readonly headerTimeoutMs?: number;
  /** Cut a sender slower than this many bytes per second on average; 0: no minimum. Default 1024. */
  readonly minRateBytesPerSecond?: number;
  /** The span the minimum rate is averaged over; default 10 000 ms. */
  readonly minRateWindowMs?: number;
  /**
   * Keep every file's result for {@link ReceiveResult.results}; default true. A long-running
   * receiver that reports through {@link ReceiveHooks.onFile} can turn it off (constant memory).
   */
  readonly keepResults?: boolean;
  /** Remove the temporary files a killed receiver left in `dir` at start; default true. */
  readonly removeLeftovers?: boolean;
}

/** The defaults of {@link ReceiveOptions}. */
export const RECEIVE_DEFAULTS = Object.freeze({
  host: "127.0.0.1",
  port: 9009,
  maxSizeBytes: 64 * 1024 ** 3,
  maxConns: 16,
  idleTimeoutMs: 30_000,
  headerTimeoutMs: 10_000,
  minRateBytesPerSecond: 1024,
  minRateWindowMs: 10_000,
});

/** What the start-up clean-up found: the temporary files of an earlier, killed receiver. */
export interface LeftoverReport {
  /** The directory searched. */
  readonly dir: string;
  /** Temporary files removed. */
  readonly removed: number;
  /** Those that could not be removed, with why. */
  readonly failures: readonly { readonly name: string; readonly reason: string }[];
  /** Why the directory could not be searched at all, if it could not. */
  readonly error?: string;
}

/** Callbacks for what a receiver observes; all optional. */
export interface ReceiveHooks {
  /** A file is settled: saved, refused or failed. */
  onFile?(file: ReceivedFile): void;
  /** At start, leftover temporary files were removed, or could not be (not called otherwise). */
  onLeftovers?(report: LeftoverReport): void;
  /** A sender was cut between files (too slow, silent): there is no file to report it with. */
  onDropped?(peer: TransferAddress, reason: string): void;
}

/** What a receiver reports when it stops. */
export interface ReceiveResult {
  /** Counts and totals over every sender. */
  readonly summary: ReceiveSummary;
  /** Every file settled, in order (empty with `keepResults: false`). */
  readonly results: readonly ReceivedFile[];
}

/** A running receiver. */
export interface Receiver {
  /** The address it listens on, with the port chosen for port 0. */
  readonly address: TransferAddress;
  /** The directory it saves into (absolute). */
  readonly dir: string;
  /** Senders being served now. */
  readonly active: number;
  /**
   * Resolves once the receiver has stopped (by {@link stop}, the signal, or after its one
   * sender with `once`), every file settled; rejects when accepting connections failed.
   */
  readonly done: Promise<ReceiveResult>;
  /** Stops listening, cuts every sender (their partial files are deleted); resolves as `done`. */
  stop(): Promise<ReceiveResult>;
}

/**
 * Checks `options.dir` (an {@link InputError} when it is not an existing directory), listens
 * (rejects with the adapter's `NetError`: address in use, permission), removes leftover
 * temporary files, and starts serving senders. Aborting `signal` stops the receiver as
 * {@link Receiver.stop} does.
 */
export async function startReceiver(
  adapter: NetAdapter,
  options: ReceiveOptions,
  hooks: ReceiveHooks = {},
  signal?: AbortSignal,
): Promise<Receiver> {
  signal?.throwIfAborted();
  const dir = await checkDirectory(options.dir);
  const listener = options.unix !== undefined
    ? await adapter.listen({ transport: "unix", path: options.unix })
    : await adapter.listen({
      transport: "tcp",
      hostname: await lookupBindHost(options.host ?? RECEIVE_DEFAULTS.host),
      port: options.port ?? RECEIVE_DEFAULTS.port,
    });
  // After listening: a receiver started by mistake on a port in use touches nothing.
  if (options.removeLeftovers ?? true) await removeLeftovers(dir, hooks);
  const receiver = new ReceiverImpl(listener, dir, options, hooks);
  if (signal) {
    const onAbort = () => void receiver.stop();
    signal.addEventListener("abort", onAbort, { once: true });
    receiver.done.finally(() => signal.removeEventListener("abort", onAbort)).catch(() => {});
    if (signal.aborted) onAbort();
  }
  return receiver;
}

/** Resolves `dir` and checks that it is an existing directory. */
async function checkDirectory(dir: string): Promise<string> {
  const full = resolve(dir);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new InputError(`cannot receive into ${quote(dir)}: no such directory`);
  if (!info.isDirectory()) {
    throw new InputError(`cannot receive into ${quote(dir)}: not a directory`);
  }
  return full;
}

/** Removes an earlier receiver's temporary files; tells the hook when there was anything. */
async function removeLeftovers(dir: string, hooks: ReceiveHooks): Promise<void> {
  try {
    const { removed, failures } = await reapTempFiles(dir);
    if (removed > 0 || failures.length > 0) hooks.onLeftovers?.({ dir, removed, failures });
  } catch (error) {
    hooks.onLeftovers?.({ dir, removed: 0, failures: [], error: describeFsError(error) });
  }
}

type Counts = { -readonly [K in "total" | "saved" | "refused" | "failed" | "bytes"]: number };

class ReceiverImpl implements Receiver {
  readonly address: TransferAddress;
  readonly dir: string;
  readonly done: Promise<ReceiveResult>;
  readonly #listener: Listener;
  readonly #options: ReceiveOptions;
  readonly #hooks: ReceiveHooks;
  readonly #store: FileStore;
  readonly #limits: ProgressLimits;
  readonly #sessions = new Map<Promise<void>, ReceiveSession>();
  readonly #results: ReceivedFile[] = [];
  readonly #counts: Counts = { total: 0, saved: 0, refused: 0, failed: 0, bytes: 0 };
  readonly #started = performance.now();
  #senders = 0;
  #stopping = false;
  #onceDone = false;

  constructor(listener: Listener, dir: string, options: ReceiveOptions, hooks: ReceiveHooks) {
    const d = RECEIVE_DEFAULTS;
    this.#listener = listener;
    this.address = transferAddress(listener.addr);
    this.dir = dir;
    this.#options = options;
    this.#hooks = hooks;
    this.#store = new FileStore(dir, options.overwrite ?? false);
    this.#limits = {
      headerMs: options.headerTimeoutMs ?? d.headerTimeoutMs,
      minBytesPerSecond: options.minRateBytesPerSecond ?? d.minRateBytesPerSecond,
      windowMs: options.minRateWindowMs ?? d.minRateWindowMs,
      idleMs: options.idleTimeoutMs ?? d.idleTimeoutMs,
    };
    this.done = this.#serve();
    this.done.catch(() => {}); // observed by the caller; never an unhandled rejection
  }

  get active(): number {
    return this.#sessions.size;
  }

  stop(): Promise<ReceiveResult> {
    this.#stopping = true;
    this.#listener.close();
    for (const session of this.#sessions.values()) session.stop();
    return this.done;
  }

  async #serve(): Promise<ReceiveResult> {
    const maxConns = this.#options.maxConns ?? RECEIVE_DEFAULTS.maxConns;
    try {
      for (;;) {
        let conn: Connection;
        try {
          conn = await this.#listener.accept();
        } catch (error) {
          if (this.#stopping || this.#onceDone) break;
          throw error;
        }
        if (this.#sessions.size >= maxConns) {
          void turnAway(conn, `busy: already ${maxConns} senders, try again later`);
          continue;
        }
        this.#senders++;
        this.#serveOne(conn);
      }
      await this.#idle();
    } catch (error) {
      for (const session of this.#sessions.values()) session.stop();
      await this.#idle();
      throw error;
    } finally {
      this.#listener.close();
    }
    return { summary: this.#summary(), results: this.#results };
  }

  /** Serves one sender; with `once`, the first sender that sent anything ends the receiver. */
  #serveOne(conn: Connection): void {
    const session = new ReceiveSession({
      store: this.#store,
      limits: this.#limits,
      maxSizeBytes: this.#options.maxSizeBytes ?? RECEIVE_DEFAULTS.maxSizeBytes,
      settle: (file) => this.#settle(file),
      dropped: (peer, reason) => this.#hooks.onDropped?.(peer, reason),
    }, conn);
    const running = session.run().finally(() => this.#sessions.delete(running));
    this.#sessions.set(running, session);
    // A port scanner's connect-and-close (or any other stray connection) must not end `once`.
    if (!this.#options.once) return;
    void running.then(() => {
      if (!session.spoke || this.#onceDone) return;
      this.#onceDone = true;
      this.#listener.close();
    });
  }

  /** Resolves when no session is left. */
  async #idle(): Promise<void> {
    while (this.#sessions.size > 0) await Promise.allSettled([...this.#sessions.keys()]);
  }

  #settle(file: ReceivedFile): void {
    const c = this.#counts;
    c.total++;
    if (file.status === "saved") {
      c.saved++;
      c.bytes += file.size;
    } else if (file.status === "refused") c.refused++;
    else c.failed++;
    if (this.#options.keepResults ?? true) this.#results.push(file);
    this.#hooks.onFile?.(file);
  }

  #summary(): ReceiveSummary {
    return {
      ...this.address,
      dir: this.dir,
      senders: this.#senders,
      ...this.#counts,
      durationMs: roundMs(performance.now() - this.#started),
      stopped: this.#stopping,
    };
  }
}

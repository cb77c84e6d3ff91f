/**
 * The sending side of a verified file transfer (`netdiag send`): check the files, connect, agree
 * on the protocol version, stream each file as one frame (version 2: hashed on its way out, the
 * hash in a trailer; version 1: hashed ahead of the stream, the hash in the header), and collect
 * the receiver's answers.
 * @module
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, quote } from "../core/errors.ts";
import { unsafeFileNameReason } from "../core/file_name.ts";
import { describeFsError } from "../core/fs_error.ts";
import { filesToHashFirst } from "../core/hash_plan.ts";
import {
  agreedVersion,
  bytesPerSecond,
  roundMs,
  sendOutcome,
  type SendSummary,
  type SentFile,
  type TransferAddress,
} from "../core/transfer.ts";
import type { TransferTarget } from "../core/transfer.ts";
import type { NetAdapter } from "../net/types.ts";
import { type Dialled, dialReceiver } from "./dial.ts";
import { Hasher } from "./file_hash.ts";
import { type Outgoing, type Transfer, writeFiles } from "./send_stream.ts";
import { SendSession } from "./send_session.ts";

/** Options of {@link sendFiles}. */
export interface SendOptions {
  /** The files to send, in order: paths of regular files with sendable, distinct names. */
  readonly files: readonly string[];
  /** The receiver: a TCP host and port, or a Unix socket path (see `parseTransferTarget`). */
  readonly target: TransferTarget;
  /** Give up connecting (per address) after this long; default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Give up when the receiver neither takes bytes nor answers for this long; default 30 000. */
  readonly idleTimeoutMs?: number;
  /**
   * Only the receiver host's IPv4 (4) or IPv6 (6) addresses; default both. A name without one
   * is an OperationalError (`no IPv6 address`), an IP literal of the other family an InputError.
   */
  readonly family?: 4 | 6;
  /**
   * Speak protocol version 1 at once, without a hello: each file is hashed before its header
   * (read twice). Default false: say hello, and use version 2 (each file read once, its hash in
   * a trailer) when the receiver takes it, else fall back to version 1 on a new connection. For
   * receivers older than version 2 started with `--once`, which the hello would end.
   */
  readonly hashFirst?: boolean;
}

/** Callbacks for what a send goes through; all optional. */
export interface SendHooks {
  /** The sender waits for the SHA-256 of file `name` (version 1: before connecting or a header). */
  onHashing?(name: string): void;
  /** Connected to the receiver at `peer` (again, when falling back to version 1). */
  onConnected?(peer: TransferAddress): void;
  /** The protocol version the files go with: 2, or 1 (asked for, or the receiver's only one). */
  onVersion?(version: number): void;
  /** `sentBytes` of the `sizeBytes` of file `name` are written (after every chunk, ~1 MiB). */
  onProgress?(name: string, sentBytes: number, sizeBytes: number): void;
  /** A file is settled (in order): verified, refused or failed. */
  onFile?(file: SentFile): void;
}

/** What {@link sendFiles} returns: the summary and one result per file, in order. */
export interface SendResult {
  /** Counts and totals over the files. */
  readonly summary: SendSummary;
  /** One result per file, in the order given. */
  readonly results: readonly SentFile[];
  /** True when the signal stopped the transfer (files left unsettled are failed). */
  readonly interrupted: boolean;
}

/**
 * Sends `options.files` to a receiver (`netdiag receive` or any peer of the transfer protocol,
 * docs/protocols/transfer.md) and returns how each fared. Checks every file first (throws
 * {@link InputError}: missing, not a regular file, unsafe or duplicate name); connects and says
 * hello: a receiver that takes version 2 gets each file read once, hashed on its way out; one
 * that refuses the hello gets version 1 on a new connection, with enough files hashed before
 * connecting that each header is ready when the previous file ends. Throws the connect's error
 * (`NegativeError` refused, `OperationalError` otherwise). Once connected it never throws: a
 * broken connection, an idle receiver or a file that cannot be read to its end fail files in
 * the result. Aborting `signal` before the connection rejects with its reason; after, it stops
 * the transfer and the result is `interrupted`.
 */
export async function sendFiles(
  adapter: NetAdapter,
  options: SendOptions,
  hooks: SendHooks = {},
  signal?: AbortSignal,
): Promise<SendResult> {
  const files = await checkFiles(options.files);
  const dial = () =>
    dialReceiver(adapter, options.target, {
      timeoutMs: options.connectTimeoutMs ?? 10_000,
      family: options.family,
    }, signal);
  if (options.hashFirst) return await sendHashFirst(files, dial, options, hooks, signal);
  const dialled = await dial();
  hooks.onConnected?.(dialled.peer);
  const session = new SendSession(dialled.conn, options.idleTimeoutMs ?? 30_000);
  const stop = () => session.fail("interrupted");
  signal?.addEventListener("abort", stop, { once: true });
  let answer;
  try {
    answer = await session.hello();
  } finally {
    signal?.removeEventListener("abort", stop);
  }
  // A refusal of the hello is an older receiver's: it takes version 1 only.
  if (answer !== null && agreedVersion(answer) !== 2) {
    session.close();
    return await sendHashFirst(files, dial, options, hooks, signal);
  }
  hooks.onVersion?.(2);
  return await runTransfer({ files, session, hooks, announced: [], localErrors: new Map() }, {
    peer: dialled.peer,
    signal,
  });
}

/**
 * Version 1: hashes enough files before connecting that the rest are hashed ahead of the stream
 * (a header carries its file's hash, and a receiver drops a sender whose next header is late),
 * connects, and streams.
 */
async function sendHashFirst(
  files: readonly Outgoing[],
  dial: () => Promise<Dialled>,
  options: SendOptions,
  hooks: SendHooks,
  signal?: AbortSignal,
): Promise<SendResult> {
  let connecting = true;
  const hasher = new Hasher(files.map((f) => f.path), (i) => {
    if (connecting) hooks.onHashing?.(files[i].name);
  });
  let dialled;
  try {
    const first = hasher.result(filesToHashFirst(files.map((f) => f.size)) - 1);
    await untilAborted(first.catch(() => {}), signal);
    connecting = false;
    dialled = await dial();
  } catch (error) {
    hasher.stop();
    throw error;
  }
  hooks.onConnected?.(dialled.peer);
  hooks.onVersion?.(1);
  const session = new SendSession(dialled.conn, options.idleTimeoutMs ?? 30_000);
  return await runTransfer(
    { files, hasher, session, hooks, announced: [], localErrors: new Map() },
    { peer: dialled.peer, signal },
  );
}

/** Streams the files and collects the answers on a connected session; closes it. */
async function runTransfer(
  transfer: Transfer & { readonly hooks: SendHooks },
  context: { readonly peer: TransferAddress; readonly signal?: AbortSignal },
): Promise<SendResult> {
  const { session } = transfer;
  const { peer, signal } = context;
  const onAbort = () => session.fail("interrupted");
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const started = performance.now();
  try {
    const writing = writeFiles(transfer);
    const results = await collectAnswers(transfer);
    await writing;
    const durationMs = performance.now() - started;
    return {
      summary: summarize(peer, results, durationMs),
      results,
      interrupted: signal?.aborted ?? false,
    };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    session.close();
  }
}

function summarize(
  peer: TransferAddress,
  results: readonly SentFile[],
  durationMs: number,
): SendSummary {
  const count = (status: SentFile["status"]) => results.filter((r) => r.status === status).length;
  const bytes = results.reduce((n, r) => n + (r.status === "verified" ? r.size : 0), 0);
  return {
    ...peer,
    total: results.length,
    verified: count("verified"),
    refused: count("refused"),
    failed: count("failed"),
    bytes,
    durationMs: roundMs(durationMs),
    bytesPerSecond: bytesPerSecond(bytes, durationMs),
  };
}

/** Resolves with `promise`, or rejects with the signal's reason once it is aborted. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Settles every file in order as its answer comes (or as it becomes clear none will). */
async function collectAnswers(t: Transfer & { readonly hooks: SendHooks }): Promise<SentFile[]> {
  const { files, session } = t;
  const results: SentFile[] = [];
  for (let i = 0; i < files.length; i++) {
    let ack = await session.nextAck();
    if (ack?.ok && ack.name !== files[i].name) {
      session.fail(
        `protocol error: answer for ${quote(ack.name)}, expected ${quote(files[i].name)}`,
      );
      ack = null;
    }
    const info = t.announced[i];
    const durationMs = info ? performance.now() - info.startedAt : 0;
    const outcome = sendOutcome({
      ack,
      sent: info !== undefined,
      localError: t.localErrors.get(i),
      failure: session.failure ?? session.abandoned,
    });
    const result: SentFile = {
      path: files[i].path,
      name: files[i].name,
      size: info?.size ?? 0,
      sha256: info?.sha256 ?? "",
      ...outcome,
      durationMs: roundMs(durationMs),
      bytesPerSecond: outcome.status === "verified"
        ? bytesPerSecond(info?.size ?? 0, durationMs)
        : 0,
    };
    results.push(result);
    t.hooks.onFile?.(result);
  }
  return results;
}

/** Checks every path before connecting: a readable regular file with a sendable, unique name. */
async function checkFiles(paths: readonly string[]): Promise<Outgoing[]> {
  if (paths.length === 0) throw new InputError("nothing to send: no files given");
  const seen = new Map<string, string>();
  const out: Outgoing[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((e) => {
      throw new InputError(
        `cannot send ${quote(path)}: ${
          (e as { code?: string }).code === "ENOENT" ? "no such file" : describeFsError(e)
        }`,
      );
    });
    if (!info.isFile()) throw new InputError(`cannot send ${quote(path)}: not a regular file`);
    const name = basename(path);
    const unsafe = unsafeFileNameReason(name);
    if (unsafe) throw new InputError(`cannot send ${quote(path)}: its name is ${unsafe}`);
    const other = seen.get(name);
    if (other !== undefined) {
      throw new InputError(
        `cannot send ${quote(path)} and ${quote(other)}: both are named ${quote(name)}`,
      );
    }
    seen.set(name, path);
    out.push({ path, name, size: info.size });
  }
  return out;
}

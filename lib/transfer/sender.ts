/**
 * The sending side of a verified file transfer (`netdiag send`): check the files, hash them
 * ahead of the stream, connect, stream each as one frame, and collect the receiver's answers.
 * @module
 */
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, quote } from "../core/errors.ts";
import { unsafeFileNameReason } from "../core/file_name.ts";
import { describeFsError } from "../core/fs_error.ts";
import { filesToHashFirst } from "../core/hash_plan.ts";
import {
  bytesPerSecond,
  roundMs,
  sendOutcome,
  type SendSummary,
  type SentFile,
  type TransferAddress,
  type TransferTarget,
} from "../core/transfer.ts";
import { type NetAdapter, NetError } from "../net/types.ts";
import { dialReceiver } from "./dial.ts";
import { Hasher } from "./file_hash.ts";
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
}

/** Callbacks for what a send goes through; all optional. */
export interface SendHooks {
  /** The sender waits for the SHA-256 of file `name` (before connecting, or before its header). */
  onHashing?(name: string): void;
  /** Connected to the receiver at `peer`. */
  onConnected?(peer: TransferAddress): void;
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

/** Bytes read from a file per step while streaming it. */
const CHUNK = 1024 * 1024;

/** A file to send, as checked before connecting. */
interface Outgoing {
  readonly path: string;
  readonly name: string;
  /** Its size when checked (for planning the hashing; the hash decides what is sent). */
  readonly size: number;
}

/** A file whose header went out. */
interface Announced {
  readonly size: number;
  readonly sha256: string;
  readonly startedAt: number;
}

/** A problem of `send`'s own with a file (it cannot be read, or it shrank), not the network's. */
class SourceError extends Error {}

/** The state one send shares between its writer and the reader of answers. */
interface Transfer {
  readonly files: readonly Outgoing[];
  readonly hasher: Hasher;
  readonly session: SendSession;
  readonly hooks: SendHooks;
  /** The files whose header went out, by index. */
  readonly announced: Announced[];
  /** Why the sender could not send a file itself, by index (at most one: sending stops there). */
  readonly localErrors: Map<number, string>;
}

/**
 * Sends `options.files` to a receiver (`netdiag receive` or any peer of the transfer protocol,
 * docs/protocols/transfer.md) and returns how each fared. Checks every file first (throws
 * {@link InputError}: missing, not a regular file, unsafe or duplicate name); hashes enough of
 * them before connecting that each header is ready when the previous file ends; throws the
 * connect's error (`NegativeError` refused, `OperationalError` otherwise). Once connected it
 * never throws: a broken connection, an idle receiver or a file that cannot be read to its end
 * fail files in the result. Aborting `signal` before the connection rejects with its reason;
 * after, it stops the transfer and the result is `interrupted`.
 */
export async function sendFiles(
  adapter: NetAdapter,
  options: SendOptions,
  hooks: SendHooks = {},
  signal?: AbortSignal,
): Promise<SendResult> {
  const { connectTimeoutMs = 10_000, idleTimeoutMs = 30_000 } = options;
  const files = await checkFiles(options.files);
  // A header carries its file's hash, and a receiver drops a sender whose next header is late:
  // enough files are hashed before connecting for the rest to be hashed ahead of the stream.
  let connecting = true;
  const hasher = new Hasher(files.map((f) => f.path), (i) => {
    if (connecting) hooks.onHashing?.(files[i].name);
  });
  let dialled;
  try {
    const first = hasher.result(filesToHashFirst(files.map((f) => f.size)) - 1);
    await untilAborted(first.catch(() => {}), signal);
    connecting = false;
    dialled = await dialReceiver(
      adapter,
      options.target,
      { timeoutMs: connectTimeoutMs, family: options.family },
      signal,
    );
  } catch (error) {
    hasher.stop();
    throw error;
  }
  hooks.onConnected?.(dialled.peer);
  const session = new SendSession(dialled.conn, idleTimeoutMs);
  const transfer: Transfer = {
    files,
    hasher,
    session,
    hooks,
    announced: [],
    localErrors: new Map(),
  };
  const onAbort = () => session.fail("interrupted");
  signal?.addEventListener("abort", onAbort, { once: true });
  const started = performance.now();
  try {
    const writing = writeFiles(transfer);
    const results = await collectAnswers(transfer);
    await writing;
    const durationMs = performance.now() - started;
    return {
      summary: summarize(dialled.peer, results, durationMs),
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

/**
 * Streams every file in order: its header once its hash is ready, then its bytes. Stops at the
 * first problem: a network one ends the session; one of the sender's own (the file cannot be
 * read, or it shrank) half-closes it instead, so that the receiver still answers the files
 * before and says where this one was cut short.
 */
async function writeFiles(t: Transfer): Promise<void> {
  const { files, hasher, session, hooks } = t;
  const buffers = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      if (session.stopped) return;
      hooks.onHashing?.(file.name);
      let hashed;
      try {
        hashed = await hasher.result(i);
      } catch (error) {
        t.localErrors.set(i, `cannot read ${quote(file.path)}: ${describeFsError(error)}`);
        session.abandon(`${quote(file.name)} could not be read`);
        return;
      }
      if (session.stopped) return;
      const { size, sha256 } = hashed;
      t.announced.push({ size, sha256, startedAt: performance.now() });
      try {
        await session.announce({ name: file.name, size, sha256 });
        await streamFile(file, size, session, buffers, hooks);
      } catch (error) {
        if (!(error instanceof SourceError)) {
          session.fail(
            session.receiverGone
              ? "the receiver closed the connection"
              : error instanceof NetError
              ? error.message
              : String((error as Error)?.message ?? error),
          );
          return;
        }
        t.localErrors.set(i, `cannot send ${quote(file.path)}: ${error.message}`);
        session.abandon(`${quote(file.name)} was cut short`);
        return;
      }
    }
    await session.finishWriting();
  } finally {
    hasher.stop();
  }
}

/** Settles every file in order as its answer comes (or as it becomes clear none will). */
async function collectAnswers(t: Transfer): Promise<SentFile[]> {
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

/**
 * Streams exactly `size` bytes of the file through `buffers` (two of them: the next chunk is
 * read while the current one is written). A file that cannot be opened or read, or that
 * shrank since it was hashed, cannot finish its frame: a {@link SourceError}.
 */
async function streamFile(
  file: Outgoing,
  size: number,
  session: SendSession,
  buffers: readonly Uint8Array[],
  hooks: SendHooks,
): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file.path, "r");
  } catch (error) {
    throw new SourceError(describeFsError(error));
  }
  const readAt = (buffer: Uint8Array, at: number) =>
    at >= size
      ? Promise.resolve({ bytesRead: 0 })
      : handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
  let position = 0;
  let which = 0;
  let pending = readAt(buffers[which], position);
  try {
    while (position < size) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await pending);
      } catch (error) {
        throw new SourceError(describeFsError(error));
      }
      if (bytesRead === 0) {
        throw new SourceError(
          `the file shrank while it was sent, after ${position} of ${size} bytes`,
        );
      }
      const chunk = buffers[which].subarray(0, bytesRead);
      position += bytesRead;
      which ^= 1;
      pending = readAt(buffers[which], position);
      await session.write(chunk);
      hooks.onProgress?.(file.name, position, size);
    }
    if (size === 0) hooks.onProgress?.(file.name, 0, 0);
  } finally {
    await pending.catch(() => {});
    await handle.close();
  }
}

/**
 * Writing `send`'s files onto its connection, in either form of the transfer protocol: the hash
 * first (version 1: each file hashed before its header, then read again to be sent) or the hash
 * after the body (version 2: one read of each file, hashed on its way out, then a trailer).
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";
import type { Stats } from "node:fs";
import { quote } from "../core/errors.ts";
import { describeFsError } from "../core/fs_error.ts";
import { NetError } from "../net/types.ts";
import type { Hasher } from "./file_hash.ts";
import type { SendSession } from "./send_session.ts";

/** Bytes read from a file per step while streaming it (two such buffers per send). */
const CHUNK = 1024 * 1024;

/** A file to send, as checked before connecting. */
export interface Outgoing {
  readonly path: string;
  readonly name: string;
  /** Its size when checked (for planning the hashing; what is sent is decided later). */
  readonly size: number;
}

/** A file whose header went out: its size, and its hash once known. */
export interface Announced {
  readonly size: number;
  /** 64 lowercase hex digits; "" until the body is hashed (version 2) or when it never was. */
  sha256: string;
  readonly startedAt: number;
}

/** Callbacks of the writer (a subset of the sender's hooks). */
export interface StreamHooks {
  /** The sender waits for the SHA-256 of file `name` (version 1, before its header). */
  onHashing?(name: string): void;
  /** `sentBytes` of the `sizeBytes` of file `name` are written (after every chunk, ~1 MiB). */
  onProgress?(name: string, sentBytes: number, sizeBytes: number): void;
}

/** The state one send shares between its writer and the reader of answers. */
export interface Transfer {
  readonly files: readonly Outgoing[];
  /** Version 1 only: the files' hashes, computed ahead of the stream. */
  readonly hasher?: Hasher;
  readonly session: SendSession;
  readonly hooks: StreamHooks;
  /** The files whose header went out, by index. */
  readonly announced: Announced[];
  /** Why the sender could not send a file itself, by index (at most one: sending stops there). */
  readonly localErrors: Map<number, string>;
}

/** A problem of `send`'s own with a file (unreadable, shrank, changed), not the network's. */
class SourceError extends Error {}

/** A file that could not be opened or hashed before its header: nothing of it was sent. */
class Unreadable extends Error {}

/**
 * Streams every file in order, each in the form the transfer uses: with a {@link Transfer.hasher}
 * the hash goes first (version 1), without one it follows each body (version 2). Stops at the
 * first problem: a network one ends the session; one of the sender's own (a file cannot be
 * read, shrank or changed) half-closes it instead, so that the receiver still answers the files
 * before and says where this one was cut short.
 */
export async function writeFiles(t: Transfer): Promise<void> {
  const { files, session } = t;
  const buffers = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
  try {
    for (let i = 0; i < files.length; i++) {
      if (session.stopped) return;
      try {
        await (t.hasher ? sendHashFirst(t, i, buffers) : sendHashAfter(t, i, buffers));
      } catch (error) {
        const file = files[i];
        if (error instanceof Unreadable) {
          t.localErrors.set(i, `cannot read ${quote(file.path)}: ${error.message}`);
          session.abandon(`${quote(file.name)} could not be read`);
        } else if (error instanceof SourceError) {
          t.localErrors.set(i, `cannot send ${quote(file.path)}: ${error.message}`);
          session.abandon(`${quote(file.name)} was cut short`);
        } else {
          session.fail(
            session.receiverGone
              ? "the receiver closed the connection"
              : error instanceof NetError
              ? error.message
              : String((error as Error)?.message ?? error),
          );
        }
        return;
      }
    }
    await session.finishWriting();
  } finally {
    t.hasher?.stop();
  }
}

/** Version 1: waits for the file's hash, sends the header with it, then the bytes. */
async function sendHashFirst(t: Transfer, i: number, buffers: Uint8Array[]): Promise<void> {
  const file = t.files[i];
  t.hooks.onHashing?.(file.name);
  let hashed;
  try {
    hashed = await t.hasher!.result(i);
  } catch (error) {
    throw new Unreadable(describeFsError(error));
  }
  if (t.session.stopped) return;
  const { size, sha256 } = hashed;
  t.announced.push({ size, sha256, startedAt: performance.now() });
  await t.session.announce({ name: file.name, size, sha256 });
  let handle: FileHandle;
  try {
    handle = await open(file.path, "r");
  } catch (error) {
    throw new SourceError(describeFsError(error));
  }
  try {
    await streamBody(t, file.name, handle, size, buffers);
  } finally {
    await handle.close();
  }
}

/**
 * Version 2: opens the file, sends the header with its size, streams the bytes through the hash
 * and sends the hash in a trailer. The hash covers exactly the bytes sent, so a file written to
 * while it is sent would arrive "verified" but torn: its size, modification and change times
 * are compared before and after, and a file that changed is cut short instead (no trailer).
 */
async function sendHashAfter(t: Transfer, i: number, buffers: Uint8Array[]): Promise<void> {
  const file = t.files[i];
  let handle: FileHandle;
  let before: Stats;
  try {
    handle = await open(file.path, "r");
  } catch (error) {
    throw new Unreadable(describeFsError(error));
  }
  try {
    try {
      before = await handle.stat();
    } catch (error) {
      throw new Unreadable(describeFsError(error));
    }
    const size = before.size;
    const announced: Announced = { size, sha256: "", startedAt: performance.now() };
    t.announced.push(announced);
    await t.session.announce({ name: file.name, size });
    const hash = createHash("sha256");
    await streamBody(t, file.name, handle, size, buffers, hash);
    let after: Stats;
    try {
      after = await handle.stat();
    } catch (error) {
      throw new SourceError(describeFsError(error));
    }
    if (changed(before, after)) {
      throw new SourceError(
        "the file changed while it was sent (its size or modification time moved)",
      );
    }
    announced.sha256 = hash.digest("hex");
    await t.session.trailer(announced.sha256);
  } finally {
    await handle.close();
  }
}

function changed(before: Stats, after: Stats): boolean {
  return before.size !== after.size || before.mtimeMs !== after.mtimeMs ||
    before.ctimeMs !== after.ctimeMs;
}

/**
 * Streams exactly `size` bytes of the open file through `buffers` (two of them: the next chunk
 * is read while the current one is hashed, when `hash` is given, and written). A file that
 * cannot be read, or that ends early (it shrank), cannot finish its frame: a
 * {@link SourceError}.
 */
async function streamBody(
  t: Transfer,
  name: string,
  handle: FileHandle,
  size: number,
  buffers: readonly Uint8Array[],
  hash?: Hash,
): Promise<void> {
  const { session, hooks } = t;
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
      // The socket takes the chunk while it is hashed (neither changes it).
      const writing = session.write(chunk);
      hash?.update(chunk);
      await writing;
      hooks.onProgress?.(name, position, size);
    }
    if (size === 0) hooks.onProgress?.(name, 0, 0);
  } finally {
    await pending.catch(() => {});
  }
}

/**
 * The directory a receiver saves into, shared by all its senders: names in flight, temporary
 * files created next to where files will go, verification, and the final step that gives a
 * file its name only after its size and SHA-256 matched. Also the write blocks senders reuse.
 * @module
 */
import { createHash, type Hash, randomBytes } from "node:crypto";
import { type FileHandle, link, lstat, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { tempFileName } from "../core/file_name.ts";
import { describeFsError, fsErrorCode } from "../core/fs_error.ts";
import { type FileHeader, verifyReceived } from "../core/transfer.ts";
import { allocateBlocks, BlockWriter, openDirect } from "./block_writer.ts";

/** A file being received: its temporary file, the writer filling it, and the running hash. */
export interface Incoming {
  readonly file: FileHeader;
  readonly tempPath: string;
  readonly handle: FileHandle;
  readonly writer: BlockWriter;
  readonly hash: Hash;
  readonly started: number;
}

/**
 * Why a file was not saved. `failed`: an operational failure (the receiver could not create or
 * write it), reported as failed with exit code 3; otherwise a refusal (exit code 1).
 */
export interface Problem {
  readonly error: string;
  readonly failed: boolean;
}

/** A refusal on the file's merits. */
export const refusal = (error: string): Problem => ({ error, failed: false });
/** An operational failure. */
export const failure = (error: string): Problem => ({ error, failed: true });

/** The directory files are saved into. */
export class FileStore {
  readonly #dir: string;
  readonly #overwrite: boolean;
  readonly #inFlight = new Set<string>();
  /** Block sets of senders that are done, for the next ones (at most one per sender at once). */
  readonly #spareBlocks: Uint8Array[][] = [];

  /** A store saving into `dir` (absolute, existing), replacing files only with `overwrite`. */
  constructor(dir: string, overwrite: boolean) {
    this.#dir = dir;
    this.#overwrite = overwrite;
  }

  /** Blocks for one sender's files: a spare set, or a new one. */
  takeBlocks(): Uint8Array[] {
    return this.#spareBlocks.pop() ?? allocateBlocks();
  }

  /** Takes back a sender's blocks once none of its writes is in flight any more. */
  returnBlocks(blocks: Uint8Array[]): void {
    this.#spareBlocks.push(blocks);
  }

  /**
   * Starts receiving `file`: reserves its name and creates a temporary file next to where it
   * will go. Returns why that is not possible instead.
   */
  async begin(file: FileHeader, blocks: readonly Uint8Array[]): Promise<Incoming | Problem> {
    if (this.#inFlight.has(file.name)) {
      return refusal("another sender is sending a file of this name");
    }
    const finalPath = join(this.#dir, file.name);
    if (!this.#overwrite && await exists(finalPath)) return refusal("already exists");
    this.#inFlight.add(file.name);
    const tempPath = join(this.#dir, tempFileName(randomBytes(8).toString("hex")));
    try {
      const handle = await open(tempPath, "wx");
      const writer = new BlockWriter(handle, await openDirect(tempPath), blocks);
      return {
        file,
        tempPath,
        handle,
        writer,
        hash: createHash("sha256"),
        started: performance.now(),
      };
    } catch (error) {
      this.#inFlight.delete(file.name);
      return failure(`cannot create a file in the directory: ${describeFsError(error)}`);
    }
  }

  /**
   * Finishes `incoming` after its last byte: verifies size and SHA-256 against `expected` (its
   * header, with the hash from the trailer for version 2), then renames it into place (never
   * replacing an existing file without `overwrite`). Returns why it was not saved, or undefined
   * when it was. The temporary file is gone either way.
   */
  async commit(
    incoming: Incoming,
    received: number,
    expected: FileHeader = incoming.file,
  ): Promise<Problem | undefined> {
    const { file, tempPath, handle, writer } = incoming;
    const finalPath = join(this.#dir, file.name);
    try {
      await writer.close();
      const problem = verifyReceived(expected, received, incoming.hash.digest("hex"));
      if (problem) {
        await handle.close();
        return refusal(problem);
      }
      // Durable before it gets its name: the data (also what went around the page cache) and
      // the file's metadata reach the disk.
      await handle.sync();
      await handle.close();
      if (this.#overwrite) {
        await rename(tempPath, finalPath);
        return undefined;
      }
      const taken = await placeWithoutReplacing(tempPath, finalPath);
      return taken ? refusal(taken) : undefined;
    } catch (error) {
      return failure(`cannot save: ${describeFsError(error)}`);
    } finally {
      await unlink(tempPath).catch(() => {});
      this.#inFlight.delete(file.name);
    }
  }

  /** Drops `incoming`: closes and deletes its temporary file. */
  async discard(incoming: Incoming): Promise<void> {
    await incoming.writer.close().catch(() => {});
    await incoming.handle.close().catch(() => {});
    await unlink(incoming.tempPath).catch(() => {});
    this.#inFlight.delete(incoming.file.name);
  }
}

/** Renames by hard link + unlink, which fails instead of replacing an existing file. */
async function placeWithoutReplacing(
  tempPath: string,
  finalPath: string,
): Promise<string | undefined> {
  try {
    await link(tempPath, finalPath);
    return undefined;
  } catch (error) {
    const code = fsErrorCode(error);
    if (code === "EEXIST") return "already exists";
    // A file system without hard links: check, then rename (a small race, but no traversal).
    if (await exists(finalPath)) return "already exists";
    await rename(tempPath, finalPath);
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

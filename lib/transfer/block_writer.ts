/**
 * Writing one received file to disk through a sender's blocks, with O_DIRECT for full blocks
 * where the file system allows it. Used by the receiver's file store
 * (lib/transfer/receive_store.ts).
 * @module
 */
import { constants as fsConstants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { fsErrorCode } from "../core/fs_error.ts";

/**
 * Bytes of one block of a received file, written to disk in one call. A multiple of every
 * O_DIRECT alignment (512 B or 4 KiB sectors), so full blocks can bypass the page cache. Large,
 * because the direct writes that grow a file are done one at a time by the file system (on ext4,
 * more writes in flight did not help, bigger ones did): the fewer round trips, the less the disk
 * waits for this thread. Memory per sender: this times BLOCKS, plus the read buffer.
 */
export const BLOCK_BYTES = 4 * 1024 * 1024;
/** Blocks per sender: one fills from the socket while the others are written to disk. */
export const BLOCKS = 3;
/** Bytes in a WebAssembly memory page. */
const WASM_PAGE_BYTES = 64 * 1024;

/** Writes all of `bytes` at `position` in the file. */
async function writeAllAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, off, bytes.length - off, position + off);
    off += bytesWritten;
  }
}

/**
 * Allocates a sender's blocks. They live in a WebAssembly memory because engines map those at
 * page boundaries, and O_DIRECT needs aligned addresses, which an ordinary ArrayBuffer does not
 * promise. (Should a block still be misaligned, the direct write fails with EINVAL and the
 * writer falls back to the page cache.)
 */
export function allocateBlocks(): Uint8Array[] {
  const bytes = BLOCK_BYTES * BLOCKS;
  let buffer: ArrayBufferLike;
  try {
    const pages = bytes / WASM_PAGE_BYTES;
    buffer = new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer;
  } catch {
    buffer = new ArrayBuffer(bytes);
  }
  return Array.from(
    { length: BLOCKS },
    (_, i) => new Uint8Array(buffer, i * BLOCK_BYTES, BLOCK_BYTES),
  );
}

/**
 * Opens the temporary file a second time with O_DIRECT, for the full blocks: written around
 * the page cache, they go to the disk while the next ones arrive, instead of piling up in memory
 * for the fsync before the rename. Undefined where that is not possible (no O_DIRECT on the
 * platform or the file system); O_NOFOLLOW, so that a symbolic link put in its place is not
 * followed.
 */
export async function openDirect(path: string): Promise<FileHandle | undefined> {
  const { O_DIRECT, O_WRONLY, O_NOFOLLOW } = fsConstants;
  if (O_DIRECT === undefined || O_NOFOLLOW === undefined) return undefined;
  try {
    return await open(path, O_WRONLY | O_DIRECT | O_NOFOLLOW);
  } catch {
    return undefined;
  }
}

/**
 * Writes one received file through a sender's blocks: body bytes are received into the block
 * being filled ({@link BlockWriter.space}) or copied there, and each full block is written at
 * its place in the file while the next ones fill (several writes can be in flight, so the disk
 * does not wait for this thread between them); pushing waits only when the next block is still being written. Full blocks go through
 * the O_DIRECT handle when there is one, the last, partial block through the ordinary handle; a
 * direct write refused with EINVAL (an alignment the file system wants and the block lacks) is
 * redone through the ordinary handle, which then takes the rest of the file. The first write
 * error is kept and thrown by {@link push} and {@link finish}.
 */
export class BlockWriter {
  readonly #handle: FileHandle;
  #direct: FileHandle | undefined;
  readonly #directHandle: FileHandle | undefined;
  readonly #blocks: readonly Uint8Array[];
  /** The write of each block (settled once the block can be filled again). */
  readonly #writing: Promise<void>[];
  /** The block being filled, how much of it is, and its position in the file. */
  #current = 0;
  #filled = 0;
  #position = 0;
  #error: unknown;

  /** A writer for `handle` (and `direct`, the same file opened with O_DIRECT) over `blocks`. */
  constructor(handle: FileHandle, direct: FileHandle | undefined, blocks: readonly Uint8Array[]) {
    this.#handle = handle;
    this.#direct = this.#directHandle = direct;
    this.#blocks = blocks;
    this.#writing = blocks.map(() => Promise.resolve());
  }

  /**
   * The free part of the block being filled (never empty): a reader can receive straight into
   * it, and {@link push} then finds the bytes in place and copies nothing. The view is good
   * until the next `push` or `finish`.
   */
  space(): Uint8Array {
    return this.#blocks[this.#current].subarray(this.#filled);
  }

  /**
   * Copies `chunk` in (nothing to copy when it was received into {@link space}), writing every
   * block it fills. Throws the first write error.
   */
  async push(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const block = this.#blocks[this.#current];
      const take = Math.min(block.length - this.#filled, chunk.length - offset);
      const inPlace = chunk.buffer === block.buffer &&
        chunk.byteOffset + offset === block.byteOffset + this.#filled;
      if (!inPlace) block.set(chunk.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === block.length) {
        this.#submit(block, true);
        await this.#writing[this.#current];
      }
      if (this.#error !== undefined) throw this.#error;
    }
  }

  /** Writes the partial last block and waits for every write. Throws the first write error. */
  async finish(): Promise<void> {
    if (this.#filled > 0) {
      this.#submit(this.#blocks[this.#current].subarray(0, this.#filled), false);
    }
    await Promise.all(this.#writing);
    if (this.#error !== undefined) throw this.#error;
  }

  /** Waits for the writes in flight and closes the O_DIRECT handle (the other is the caller's). */
  async close(): Promise<void> {
    await Promise.all(this.#writing);
    this.#direct = undefined;
    await this.#directHandle?.close().catch(() => {});
  }

  /** Starts writing `bytes` (a full block, or the partial last one) and moves to the next block. */
  #submit(bytes: Uint8Array, full: boolean): void {
    const index = this.#current;
    this.#writing[index] = this.#write(bytes, this.#position, full).catch((error) => {
      this.#error ??= error;
    });
    this.#position += bytes.length;
    this.#current = (index + 1) % this.#blocks.length;
    this.#filled = 0;
  }

  async #write(bytes: Uint8Array, position: number, full: boolean): Promise<void> {
    if (this.#error !== undefined) return;
    const direct = this.#direct;
    if (full && direct) {
      try {
        return await writeAllAt(direct, bytes, position);
      } catch (error) {
        if (fsErrorCode(error) !== "EINVAL") throw error;
        this.#direct = undefined;
      }
    }
    await writeAllAt(this.#handle, bytes, position);
  }
}

/**
 * Hashing the files `send` sends, in order and in the background, ahead of the stream (see
 * lib/core/hash_plan.ts for how far ahead before connecting).
 * @module
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

/** Bytes read from a file per step while hashing it (fits in L2 with the hash's reading of it). */
const HASH_CHUNK = 256 * 1024;

/** A hashed file: its length and SHA-256 (64 lowercase hex digits). */
export interface Hashed {
  readonly size: number;
  readonly sha256: string;
}

/** The hashing was stopped before this file's turn. */
export class HashStopped extends Error {
  /** Creates the error for a file whose hash was not computed. */
  constructor() {
    super("not hashed: sending stopped");
    this.name = "HashStopped";
  }
}

/**
 * Hashes files one after another, starting at once, each as soon as the one before it is done
 * (also when that one failed). Two read buffers serve every file. A failure never goes
 * unobserved: it is seen where {@link result} is awaited.
 */
export class Hasher {
  readonly #results: Promise<Hashed>[];
  readonly #buffers = [new Uint8Array(HASH_CHUNK), new Uint8Array(HASH_CHUNK)];
  #stopped = false;

  /** Starts hashing `paths` in order; `onStart` hears when each file's turn comes. */
  constructor(paths: readonly string[], onStart?: (index: number) => void) {
    let previous: Promise<unknown> = Promise.resolve();
    this.#results = paths.map((path, index) => {
      const result = previous.then(() => {
        if (this.#stopped) throw new HashStopped();
        onStart?.(index);
        return this.#hash(path);
      });
      result.catch(() => {});
      previous = result.catch(() => {});
      return result;
    });
  }

  /** The hash of the file at `index`, once computed; rejects when it cannot be read. */
  result(index: number): Promise<Hashed> {
    return this.#results[index];
  }

  /** Hashes no further file (the one being hashed stops at its next chunk). */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * Reads a file to its end, returning its length and SHA-256 (constant memory). The next read
   * is in flight while the current chunk is hashed.
   */
  async #hash(path: string): Promise<Hashed> {
    const handle = await open(path, "r");
    try {
      const hash = createHash("sha256");
      const buffers = this.#buffers;
      let which = 0;
      let size = 0;
      let pending = handle.read(buffers[which], 0, HASH_CHUNK, 0);
      for (;;) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) break;
        const chunk = buffers[which].subarray(0, bytesRead);
        size += bytesRead;
        which ^= 1;
        if (this.#stopped) throw new HashStopped();
        pending = handle.read(buffers[which], 0, HASH_CHUNK, size);
        hash.update(chunk);
      }
      return { size, sha256: hash.digest("hex") };
    } finally {
      await handle.close();
    }
  }
}

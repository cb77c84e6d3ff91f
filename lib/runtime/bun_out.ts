/**
 * One of Bun's standard output streams, written in order. Writes go through `Bun.write` (the
 * first `process.stdout.write` costs Bun ~10 ms of start-up; `Bun.write` does not), except to a
 * regular file: there Bun.write ignores O_APPEND for writes over 1 KiB (`netdiag … >>log` twice
 * left a hole of NULs), and its asynchronous writes let a fast producer (100k resolved names)
 * queue up hundreds of MB. Once a stream has seen a large write or a few KiB, it asks once
 * whether it is a regular file, and if so writes with write(2), synchronously.
 * @module
 */

/** What a Bun stream writer needs of Bun. */
export interface BunWriteApi {
  write(destination: unknown, data: string | Uint8Array): Promise<number>;
}

/** A write of more than this many UTF-16 units may exceed 1 KiB (3 bytes a unit at most). */
const SMALL_WRITE = 340;
/** After this many units written in small writes, the stream's kind is asked too. */
const ASK_AFTER = 4096;

type NodeFs = typeof import("node:fs");

let fsModule: NodeFs | undefined;
function nodeFs(): NodeFs {
  // Loaded only when a stream is asked about: node:fs is not free at start-up.
  fsModule ??= (import.meta as unknown as { require(id: string): NodeFs }).require("node:fs");
  return fsModule;
}

const encoder = new TextEncoder();

/** A standard output stream of Bun's, written in order (see the module). */
export class BunOut {
  readonly #bun: BunWriteApi;
  readonly #destination: unknown;
  readonly #fd: number;
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #written = 0;
  #regularFile: boolean | undefined;

  /** @param fd 1 or 2; `destination` is `Bun.stdout` / `Bun.stderr`. */
  constructor(bun: BunWriteApi, destination: unknown, fd: number) {
    this.#bun = bun;
    this.#destination = destination;
    this.#fd = fd;
  }

  /** Writes `data` after every earlier write; resolves once it reached the operating system. */
  write(data: string | Uint8Array): Promise<void> {
    this.#written += data.length;
    if (
      this.#regularFile === undefined && (data.length > SMALL_WRITE || this.#written > ASK_AFTER)
    ) {
      this.#regularFile = isRegularFile(this.#fd);
    }
    if (this.#regularFile && this.#pending === 0) {
      try {
        writeAllSync(this.#fd, data);
      } catch { /* as with Bun.write: a failed write of output is dropped */ }
      return Promise.resolve();
    }
    this.#pending++;
    this.#queue = this.#queue.then((): unknown =>
      this.#regularFile ? writeAllSync(this.#fd, data) : this.#bun.write(this.#destination, data)
    ).catch(() => {}).finally(() => this.#pending--);
    return this.#queue.then(() => {});
  }

  /** Resolves when every write so far has reached the operating system. */
  flush(): Promise<void> {
    return this.#queue.then(() => {});
  }
}

function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const fs = nodeFs();
  for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off);
}

function isRegularFile(fd: number): boolean {
  try {
    return nodeFs().fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * One of Bun's standard output streams, written in order. Writes go through `Bun.write` (the
 * first `process.stdout.write` costs Bun ~10 ms of start-up; `Bun.write` does not), except to a
 * regular file: there Bun.write ignores O_APPEND for writes over 1 KiB (`netdiag … >>log` twice
 * left a hole of NULs), and its asynchronous writes let a fast producer (100k resolved names)
 * queue up hundreds of MB. Once a stream has seen a large write or a few KiB, it asks once
 * whether it is a regular file, and if so writes with write(2), synchronously. Either way the
 * writes of one turn of the event loop go out together on the next (see `write`), at most
 * {@link MAX_BATCH} units at a time.
 * @module
 */

import { nodeFsSync } from "./node_fs_sync.ts";

/** What a Bun stream writer needs of Bun. */
export interface BunWriteApi {
  write(destination: unknown, data: string | Uint8Array): Promise<number>;
}

/** A write of more than this many UTF-16 units may exceed 1 KiB (3 bytes a unit at most). */
const SMALL_WRITE = 340;
/** After this many units written in small writes, the stream's kind is asked too. */
const ASK_AFTER = 4096;

const encoder = new TextEncoder();

/** Queued writes joined into one; a batch holds at most this many units (or one larger write). */
const MAX_BATCH = 256 * 1024;

/** Writes waiting together for the ones before them. */
interface Batch {
  readonly parts: (string | Uint8Array)[];
  size: number;
  done: Promise<void>;
}

/** Resolves on the event loop's next turn, after the I/O callbacks of this one. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The parts as one write: a string when all are strings, else bytes. */
function joinParts(parts: readonly (string | Uint8Array)[]): string | Uint8Array {
  if (parts.length === 1) return parts[0];
  if (parts.every((p) => typeof p === "string")) return parts.join("");
  const chunks = parts.map((p) => typeof p === "string" ? encoder.encode(p) : p);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A standard output stream of Bun's, written in order (see the module). */
export class BunOut {
  readonly #bun: BunWriteApi;
  readonly #destination: unknown;
  readonly #fd: number;
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #written = 0;
  #regularFile: boolean | undefined;
  /** The writes queued behind the ones in progress, not started yet. */
  #batch: Batch | undefined;

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
    // A write starts on the event loop's next turn, and the writes made until then (or while an
    // earlier one is in progress) join it: one system call for the lines a batch of results
    // prints as replies come in, instead of one each (~11 µs a line, most of a 10k-name batch's
    // output time).
    const batch = this.#batch;
    if (batch && batch.size + data.length <= MAX_BATCH) {
      batch.parts.push(data);
      batch.size += data.length;
      return batch.done;
    }
    // To a file, a full batch with nothing before it is written at once: a producer that never
    // yields holds one batch, not all it printed.
    if (batch && this.#regularFile && this.#pending === 1) {
      writeParts(this.#fd, batch.parts);
      batch.parts.push(data);
      batch.size = data.length;
      return batch.done;
    }
    const next: Batch = { parts: [data], size: data.length, done: Promise.resolve() };
    this.#batch = next;
    this.#pending++;
    this.#queue = this.#queue.then(nextTurn).then((): unknown => {
      if (this.#batch === next) this.#batch = undefined; // later writes start a batch of their own
      if (next.parts.length === 0) return;
      if (this.#regularFile) return writeParts(this.#fd, next.parts);
      return this.#bun.write(this.#destination, joinParts(next.parts));
    }).catch(() => {}).finally(() => this.#pending--);
    next.done = this.#queue.then(() => {});
    return next.done;
  }

  /** Resolves when every write so far has reached the operating system. */
  flush(): Promise<void> {
    return this.#queue.then(() => {});
  }
}

/** Writes the parts to a regular file with write(2) and empties them (a failure drops them). */
function writeParts(fd: number, parts: (string | Uint8Array)[]): void {
  try {
    writeAllSync(fd, joinParts(parts.splice(0)));
  } catch { /* as with Bun.write: a failed write of output is dropped */ }
}

function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const fs = nodeFsSync();
  for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off);
}

function isRegularFile(fd: number): boolean {
  try {
    return nodeFsSync().fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * `netdiag receive`: accept senders, stream each file into a temporary file inside DIR, rename
 * it into place only after its size and SHA-256 match, and answer every file.
 * @module
 */
import { createHash, type Hash, randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { type FileHandle, link, lstat, open, rename, stat, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InputError, OperationalError, quote } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import { TEMP_FILE_PREFIX } from "../core/file_name.ts";
import { encodeFrame, FrameDecoder, FrameError } from "../core/framing.ts";
import {
  type Ack,
  ackFrameHeader,
  type FileHeader,
  megabytesPerSecond,
  type ReceivedFile,
  type ReceiverAction,
  ReceiverMachine,
  type ReceiveSummary,
  verifyReceived,
} from "../core/transfer.ts";
import { type Connection, formatAddress, type Listener, netAdapter, NetError } from "../net/mod.ts";
import { diagnostic, openStream } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { formatDurationSetting, receiveView } from "../output/views/transfer_view.ts";
import { onShutdownSignal } from "../runtime/signals.ts";
import type { NetdiagContext } from "./context.ts";
import { peerLabel } from "./dial.ts";
import type { ReceiveFlags } from "./receive.ts";

/** Bytes read from a sender per step (body bytes are copied out into blocks at once). */
const READ_BUFFER = 1024 * 1024;
/**
 * Bytes of one block of a received file, written to disk in one call. A multiple of every
 * O_DIRECT alignment (512 B or 4 KiB sectors), so full blocks can bypass the page cache. Large,
 * because the direct writes that grow a file are done one at a time by the file system (on ext4,
 * more writes in flight did not help, bigger ones did): the fewer round trips, the less the disk
 * waits for this thread. Memory per sender: this times BLOCKS, plus READ_BUFFER.
 */
const BLOCK_BYTES = 4 * 1024 * 1024;
/** Blocks per sender: one fills from the socket while the others are written to disk. */
const BLOCKS = 3;
/** Bytes in a WebAssembly memory page. */
const WASM_PAGE_BYTES = 64 * 1024;
/** A file header is a name, a size and a hash: 16 KiB is plenty. */
const MAX_HEADER_BYTES = 16 * 1024;
/** How long a refused sender may go on sending before the connection is cut. */
const LINGER_MS = 2000;
const EMPTY = new Uint8Array(0);

/** Runs `netdiag receive`. */
export default async function receive(this: NetdiagContext, flags: ReceiveFlags): Promise<void> {
  const format = outputFormat(flags);
  const dir = await checkDirectory(flags.dir);
  const adapter = await netAdapter();
  let listener: Listener;
  try {
    listener = await adapter.listen(
      flags.unix !== undefined
        ? { transport: "unix", path: flags.unix }
        : { transport: "tcp", hostname: flags.host, port: flags.port },
    );
  } catch (error) {
    if (error instanceof NetError) throw new OperationalError(error.message, { cause: error });
    throw error;
  }
  const address = formatAddress(listener.addr);
  const stream = openStream(this, format, receiveView, "files");
  const receiver = new Receiver(dir, flags, (file) => stream.item(file));
  let stopping = false;
  const removeSignals = onShutdownSignal(() => {
    stopping = true;
    listener.close();
    receiver.stopAll();
  });
  diagnostic(this, `listening on ${address}, saving into ${quote(dir)}`);
  let senders = 0;
  let onceDone = false;
  try {
    for (;;) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopping || onceDone) break;
        throw error;
      }
      if (receiver.active >= flags.maxConns) {
        void turnAway(conn, `busy: already ${flags.maxConns} senders, try again later`);
        continue;
      }
      senders++;
      const session = receiver.serve(conn);
      // --once ends after the first sender that sent anything: a port scanner's connect-and-close
      // (or any other stray connection) must not end the receiver.
      if (flags.once) {
        void session.then((spoke) => {
          if (!spoke || onceDone) return;
          onceDone = true;
          listener.close();
        });
      }
    }
    await receiver.idle();
  } catch (error) {
    receiver.stopAll();
    await receiver.idle();
    if (error instanceof NetError) throw new OperationalError(error.message, { cause: error });
    throw error;
  } finally {
    removeSignals();
    listener.close();
  }
  const summary: ReceiveSummary = {
    address,
    dir,
    senders,
    ...receiver.totals,
  };
  stream.end(summary);
  if (stopping) this.process.exitCode = ExitCode.Ok;
}

/** Resolves DIR and checks that it is an existing directory. */
async function checkDirectory(dir: string): Promise<string> {
  const full = resolve(dir);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new InputError(`cannot receive into ${quote(dir)}: no such directory`);
  if (!info.isDirectory()) {
    throw new InputError(`cannot receive into ${quote(dir)}: not a directory`);
  }
  return full;
}

/** Answers a connection that cannot be served with one refusal and closes it. */
async function turnAway(conn: Connection, error: string): Promise<void> {
  await sendAck(conn, { ok: false, name: "", error });
  await lingerClose(conn);
}

async function sendAck(conn: Connection, ack: Ack): Promise<void> {
  try {
    await conn.write(encodeFrame(ackFrameHeader(ack), EMPTY));
  } catch { /* the sender is gone; its side reports that */ }
}

/**
 * Closes after a refusal without losing the answer: half-close, then read and drop whatever
 * the sender still sends (so the kernel does not reset the connection and discard the answer
 * before the sender reads it) until it closes or {@link LINGER_MS} pass.
 */
async function lingerClose(conn: Connection): Promise<void> {
  try {
    await conn.closeWrite();
  } catch { /* already gone */ }
  const timer = setTimeout(() => conn.close(), LINGER_MS);
  const sink = new Uint8Array(64 * 1024);
  try {
    while ((await conn.read(sink)) !== null) { /* drop */ }
  } catch { /* reset: done */ }
  clearTimeout(timer);
  conn.close();
}

/** A file being received: its temporary file, the writer filling it, and the running hash. */
interface Incoming {
  readonly file: FileHeader;
  readonly tempPath: string;
  readonly handle: FileHandle;
  readonly writer: BlockWriter;
  readonly hash: Hash;
  readonly started: number;
}

/** The settled counts of a receiver. */
type Totals = { -readonly [K in "saved" | "refused" | "failed" | "bytes"]: ReceiveSummary[K] };

/** The state shared by every sender's session: the directory, names in flight, totals. */
class Receiver {
  readonly totals: Totals = { saved: 0, refused: 0, failed: 0, bytes: 0 };
  readonly #dir: string;
  readonly #flags: ReceiveFlags;
  readonly #report: (file: ReceivedFile) => void;
  readonly #inFlight = new Set<string>();
  readonly #sessions = new Map<Promise<void>, () => void>();
  /** Block sets of senders that are done, for the next ones (at most one per sender at once). */
  readonly #spareBlocks: Uint8Array[][] = [];

  constructor(dir: string, flags: ReceiveFlags, report: (file: ReceivedFile) => void) {
    this.#dir = dir;
    this.#flags = flags;
    this.#report = report;
  }

  /** Senders being served now. */
  get active(): number {
    return this.#sessions.size;
  }

  /**
   * Serves one sender until it finishes; resolves once its files are settled, to whether the
   * sender sent any bytes at all.
   */
  serve(conn: Connection): Promise<boolean> {
    let stop: () => void = () => {};
    const s = new Session(this, conn, (fn) => (stop = fn));
    const session = s.run().finally(() => {
      this.#sessions.delete(session);
    });
    this.#sessions.set(session, () => stop());
    return session.then(() => s.spoke);
  }

  /** Stops every session (their partial files are deleted). */
  stopAll(): void {
    for (const stop of this.#sessions.values()) stop();
  }

  /** Resolves when no session is left. */
  async idle(): Promise<void> {
    while (this.#sessions.size > 0) await Promise.allSettled([...this.#sessions.keys()]);
  }

  /** Records and reports a settled file. */
  settle(file: ReceivedFile): void {
    if (file.status === "saved") {
      this.totals.saved++;
      this.totals.bytes += file.size;
    } else if (file.status === "refused") this.totals.refused++;
    else this.totals.failed++;
    this.#report(file);
  }

  get flags(): ReceiveFlags {
    return this.#flags;
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
   * will go. Returns the refusal reason instead when that is not possible.
   */
  async begin(file: FileHeader, blocks: readonly Uint8Array[]): Promise<Incoming | string> {
    if (this.#inFlight.has(file.name)) return "another sender is sending a file of this name";
    const finalPath = join(this.#dir, file.name);
    if (!this.#flags.overwrite && await exists(finalPath)) return "already exists";
    this.#inFlight.add(file.name);
    const tempPath = join(this.#dir, `${TEMP_FILE_PREFIX}${randomBytes(8).toString("hex")}.part`);
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
      return `cannot create a file in the directory: ${errorCode(error)}`;
    }
  }

  /**
   * Finishes `incoming` after its last byte: verifies size and SHA-256, then renames it into
   * place (never replacing an existing file without --overwrite). Returns the refusal reason,
   * or undefined when the file was saved. The temporary file is gone either way.
   */
  async commit(incoming: Incoming, received: number): Promise<string | undefined> {
    const { file, tempPath, handle, writer } = incoming;
    const finalPath = join(this.#dir, file.name);
    try {
      await writer.close();
      const problem = verifyReceived(file, received, incoming.hash.digest("hex"));
      if (problem) {
        await handle.close();
        return problem;
      }
      // Durable before it gets its name: the data (also what went around the page cache) and
      // the file's metadata reach the disk.
      await handle.sync();
      await handle.close();
      if (this.#flags.overwrite) {
        await rename(tempPath, finalPath);
        return undefined;
      }
      return await placeWithoutReplacing(tempPath, finalPath);
    } catch (error) {
      return `cannot save: ${errorCode(error)}`;
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
function allocateBlocks(): Uint8Array[] {
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
async function openDirect(path: string): Promise<FileHandle | undefined> {
  const { O_DIRECT, O_WRONLY, O_NOFOLLOW } = fsConstants;
  if (O_DIRECT === undefined || O_NOFOLLOW === undefined) return undefined;
  try {
    return await open(path, O_WRONLY | O_DIRECT | O_NOFOLLOW);
  } catch {
    return undefined;
  }
}

/**
 * Writes one received file through a sender's blocks: body bytes are copied into the block
 * being filled, and each full block is written at its place in the file while the next ones
 * fill (several writes can be in flight, so the disk does not wait for this thread between
 * them); pushing waits only when the next block is still being written. Full blocks go through
 * the O_DIRECT handle when there is one, the last, partial block through the ordinary handle; a
 * direct write refused with EINVAL (an alignment the file system wants and the block lacks) is
 * redone through the ordinary handle, which then takes the rest of the file. The first write
 * error is kept and thrown by {@link push} and {@link finish}.
 */
class BlockWriter {
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

  constructor(handle: FileHandle, direct: FileHandle | undefined, blocks: readonly Uint8Array[]) {
    this.#handle = handle;
    this.#direct = this.#directHandle = direct;
    this.#blocks = blocks;
    this.#writing = blocks.map(() => Promise.resolve());
  }

  /** Copies `chunk` in, writing every block it fills. Throws the first write error. */
  async push(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const block = this.#blocks[this.#current];
      const take = Math.min(block.length - this.#filled, chunk.length - offset);
      block.set(chunk.subarray(offset, offset + take), this.#filled);
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
        if (errorCode(error) !== "EINVAL") throw error;
        this.#direct = undefined;
      }
    }
    await writeAllAt(this.#handle, bytes, position);
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
    const code = errorCode(error);
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

function errorCode(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e?.code ?? e?.message ?? String(error);
}

/** One sender's connection. */
class Session {
  readonly #receiver: Receiver;
  readonly #conn: Connection;
  readonly #peer: string;
  readonly #machine: ReceiverMachine;
  #incoming: Incoming | undefined;
  #pendingHeader: FileHeader | undefined;
  #headerAt = 0;
  #endReason: string | undefined;
  /** This sender's blocks, taken with its first file. */
  #blocks: Uint8Array[] | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the sender sent any bytes. */
  spoke = false;

  constructor(receiver: Receiver, conn: Connection, onStop: (stop: () => void) => void) {
    this.#receiver = receiver;
    this.#conn = conn;
    this.#peer = peerLabel(conn.remoteAddr);
    this.#machine = new ReceiverMachine(receiver.flags.maxSize);
    onStop(() => this.#cut("the receiver was stopped"));
  }

  async run(): Promise<void> {
    const decoder = new FrameDecoder({
      maxHeaderBytes: MAX_HEADER_BYTES,
      maxBodyBytes: Number.MAX_SAFE_INTEGER,
    });
    // Body bytes are copied out of the buffer (into the file's blocks) before the next read.
    const buffer = new Uint8Array(READ_BUFFER);
    this.#touch();
    try {
      for (;;) {
        let n: number | null;
        try {
          n = await this.#conn.read(buffer);
        } catch (error) {
          this.#endReason ??= error instanceof NetError ? error.message : String(error);
          break;
        }
        if (n === null) break;
        this.spoke = true;
        this.#touch();
        let events;
        try {
          events = decoder.push(buffer.subarray(0, n));
        } catch (error) {
          if (!(error instanceof FrameError)) throw error;
          const name = this.#incoming?.file.name ?? "";
          await this.#act(this.#machine.eof(`protocol error: ${error.message}`));
          await sendAck(this.#conn, { ok: false, name, error: `protocol error: ${error.message}` });
          await lingerClose(this.#conn);
          return;
        }
        for (const event of events) {
          if (!(await this.#act(this.#machine.handle(event)))) return;
        }
      }
      await this.#act(this.#machine.eof(this.#endReason ?? "connection closed mid-file"));
    } finally {
      clearTimeout(this.#timer);
      if (this.#incoming) await this.#abort(this.#endReason ?? "connection closed mid-file");
      if (this.#blocks) this.#receiver.returnBlocks(this.#blocks);
      this.#conn.close();
    }
  }

  /** Performs one action; false when the session is over. */
  async #act(action: ReceiverAction): Promise<boolean> {
    switch (action.type) {
      case "open": {
        this.#headerAt = performance.now();
        this.#pendingHeader = action.file;
        this.#blocks ??= this.#receiver.takeBlocks();
        const started = await this.#receiver.begin(action.file, this.#blocks);
        if (typeof started === "string") return this.#act(this.#machine.refuse(started));
        this.#incoming = started;
        return true;
      }
      case "write": {
        const incoming = this.#incoming!;
        incoming.hash.update(action.chunk);
        try {
          await incoming.writer.push(action.chunk);
        } catch (error) {
          await this.#receiver.discard(incoming);
          this.#incoming = undefined;
          return this.#act(this.#machine.refuse(`cannot write: ${errorCode(error)}`));
        }
        return true;
      }
      case "skip":
      case "none":
        return true;
      case "commit": {
        const incoming = this.#incoming!;
        this.#incoming = undefined;
        // Flushing and syncing a large file is the receiver's own work, not the sender's
        // silence: the idle timer waits until the answer is sent.
        clearTimeout(this.#timer);
        let problem: string | undefined;
        try {
          await incoming.writer.finish();
          problem = await this.#receiver.commit(incoming, action.received);
        } catch (error) {
          await this.#receiver.discard(incoming);
          problem = `cannot write: ${errorCode(error)}`;
        }
        const seconds = (performance.now() - incoming.started) / 1000;
        const ack: Ack = problem === undefined
          ? { ok: true, name: action.file.name }
          : { ok: false, name: action.file.name, error: problem };
        await sendAck(this.#conn, ack);
        this.#touch();
        this.#receiver.settle({
          name: action.file.name,
          peer: this.#peer,
          status: problem === undefined ? "saved" : "refused",
          size: action.received,
          sha256: action.file.sha256,
          ...(problem === undefined ? {} : { error: problem }),
          seconds: round3(seconds),
          mbPerSecond: megabytesPerSecond(action.received, seconds),
        });
        return true;
      }
      case "ack": {
        await sendAck(this.#conn, action.ack);
        const header = this.#pendingHeader?.name === action.ack.name
          ? this.#pendingHeader
          : undefined;
        this.#pendingHeader = undefined;
        this.#receiver.settle({
          name: action.ack.name,
          peer: this.#peer,
          status: "refused",
          size: header?.size ?? 0,
          error: action.ack.error ?? "refused",
          seconds: 0,
          mbPerSecond: 0,
        });
        if (action.close) {
          await lingerClose(this.#conn);
          return false;
        }
        return true;
      }
      case "abort":
        await this.#abort(action.reason);
        return false;
      case "done":
        return false;
    }
  }

  async #abort(reason: string): Promise<void> {
    const incoming = this.#incoming;
    if (!incoming) return;
    this.#incoming = undefined;
    await this.#receiver.discard(incoming);
    const seconds = (performance.now() - this.#headerAt) / 1000;
    this.#receiver.settle({
      name: incoming.file.name,
      peer: this.#peer,
      status: "failed",
      size: this.#machine.received,
      error: reason,
      seconds: round3(seconds),
      mbPerSecond: 0,
    });
  }

  #touch(): void {
    clearTimeout(this.#timer);
    const ms = this.#receiver.flags.idleTimeout;
    this.#timer = setTimeout(() => this.#cut(`idle for ${formatDurationSetting(ms)}`), ms);
  }

  #cut(reason: string): void {
    this.#endReason ??= reason;
    this.#conn.close();
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

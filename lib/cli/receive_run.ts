/**
 * `netdiag receive`: accept senders, stream each file into a temporary file inside DIR, rename
 * it into place only after its size and SHA-256 match, and answer every file. Each sender is
 * held to the minimum-progress rule of lib/core/progress_rule.ts; temporary files left by a
 * receiver that was killed are removed at start.
 * @module
 */
import { createHash, type Hash, randomBytes } from "node:crypto";
import { type FileHandle, link, lstat, open, rename, stat, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InputError, OperationalError, quote } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import { TEMP_FILE_PREFIX, TEMP_FILE_SUFFIX, tempFileName } from "../core/file_name.ts";
import { describeFsError, fsErrorCode } from "../core/fs_error.ts";
import { encodeFrame, FrameDecoder, FrameError, type FrameEvent } from "../core/framing.ts";
import { progressCheckEveryMs, type ProgressLimits, ProgressRule } from "../core/progress_rule.ts";
import { escapeTerminal } from "../core/terminal_text.ts";
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
import { lookupBindHost } from "../net/host_lookup.ts";
import { diagnostic, openStream, type OutputTarget } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { describeStall, receiveView } from "../output/views/transfer_view.ts";
import { onShutdownSignal } from "../runtime/signals.ts";
import { allocateBlocks, BlockWriter, openDirect } from "../transfer/block_writer.ts";
import { reapTempFiles } from "../transfer/temp_files.ts";
import type { NetdiagContext } from "./context.ts";
import { peerLabel } from "./dial.ts";
import type { ReceiveFlags } from "./receive.ts";

/** Bytes read from a sender per step (body bytes are copied out into blocks at once). */
const READ_BUFFER = 1024 * 1024;
/** A file header is a name, a size and a hash: 16 KiB is plenty. */
const MAX_HEADER_BYTES = 16 * 1024;
/** How long a refused or cut sender may go on sending before the connection is closed. */
const LINGER_MS = 2000;
/** How long a sender has to take its last answer when the receiver is stopped. */
const STOP_GRACE_MS = 100;
const EMPTY = new Uint8Array(0);
/** Where the bytes of refused and cut senders go: read and dropped, never looked at. */
const SINK = new Uint8Array(64 * 1024);

/** Runs `netdiag receive`. */
export default async function receive(this: NetdiagContext, flags: ReceiveFlags): Promise<void> {
  const format = outputFormat(flags);
  const dir = await checkDirectory(flags.dir);
  const listener = await listenOn(flags);
  // After listening: a receiver started by mistake on a port in use touches nothing.
  await removeLeftovers(this, dir);
  const address = formatAddress(listener.addr);
  const stream = openStream(this, format, receiveView, "files");
  const receiver = new Receiver(dir, flags, {
    report: (file) => stream.item(file),
    warn: (line) => diagnostic(this, `netdiag: ${line}`),
  });
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
  const summary: ReceiveSummary = { address, dir, senders, ...receiver.totals };
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

/**
 * Removes the temporary files an earlier receiver left in `dir` when it was killed, and says
 * on stderr how many (nothing when there were none). Problems are reported, never fatal.
 */
async function removeLeftovers(target: OutputTarget, dir: string): Promise<void> {
  const pattern = `${TEMP_FILE_PREFIX}*${TEMP_FILE_SUFFIX}`;
  try {
    const { removed, failures } = await reapTempFiles(dir);
    if (removed > 0) {
      diagnostic(
        target,
        `removed ${removed} leftover temporary file${removed === 1 ? "" : "s"} (${pattern}) ` +
          `of an earlier receive from ${quote(dir)}`,
      );
    }
    for (const { name, reason } of failures) {
      diagnostic(target, `netdiag: cannot remove leftover ${quote(join(dir, name))}: ${reason}`);
    }
  } catch (error) {
    diagnostic(
      target,
      `netdiag: cannot look for leftover ${pattern} files in ${quote(dir)}: ` +
        describeFsError(error),
    );
  }
}

/** Listens where the flags say; a failure is an operational error (exit 3). */
async function listenOn(flags: ReceiveFlags): Promise<Listener> {
  const adapter = await netAdapter();
  const hostname = flags.unix === undefined ? await lookupBindHost(flags.host) : flags.host;
  try {
    return await adapter.listen(
      flags.unix !== undefined
        ? { transport: "unix", path: flags.unix }
        : { transport: "tcp", hostname, port: flags.port },
    );
  } catch (error) {
    if (error instanceof NetError) throw new OperationalError(error.message, { cause: error });
    throw error;
  }
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
  await drain(conn);
  clearTimeout(timer);
  conn.close();
}

/** Reads and drops until the connection ends, breaks or is closed. */
async function drain(conn: Connection): Promise<void> {
  try {
    while ((await conn.read(SINK)) !== null) { /* drop */ }
  } catch { /* reset or closed: done */ }
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

/**
 * Why a file was not saved. `failed`: an operational failure (the receiver could not create or
 * write it), reported as failed with exit code 3; otherwise a refusal (exit code 1).
 */
interface Problem {
  readonly error: string;
  readonly failed: boolean;
}

const refusal = (error: string): Problem => ({ error, failed: false });
const failure = (error: string): Problem => ({ error, failed: true });

/** Where a receiver's results go. */
interface ReceiverOutput {
  /** A settled file. */
  readonly report: (file: ReceivedFile) => void;
  /** One line for stderr about a connection (without the `netdiag: ` prefix). */
  readonly warn: (line: string) => void;
}

/** The settled counts of a receiver. */
type Totals = { -readonly [K in "saved" | "refused" | "failed" | "bytes"]: ReceiveSummary[K] };

/** The state shared by every sender's session: the directory, names in flight, totals. */
class Receiver {
  readonly totals: Totals = { saved: 0, refused: 0, failed: 0, bytes: 0 };
  /** The minimum progress every sender must keep. */
  readonly limits: ProgressLimits;
  /** Reports a line about a connection on stderr. */
  readonly warn: (line: string) => void;
  readonly #dir: string;
  readonly #flags: ReceiveFlags;
  readonly #report: (file: ReceivedFile) => void;
  readonly #inFlight = new Set<string>();
  readonly #sessions = new Map<Promise<void>, () => void>();
  /** Block sets of senders that are done, for the next ones (at most one per sender at once). */
  readonly #spareBlocks: Uint8Array[][] = [];

  constructor(dir: string, flags: ReceiveFlags, output: ReceiverOutput) {
    this.#dir = dir;
    this.#flags = flags;
    this.#report = output.report;
    this.warn = output.warn;
    this.limits = {
      headerMs: flags.headerTimeout,
      minBytesPerSecond: flags.minRate,
      windowMs: flags.minRateWindow,
      idleMs: flags.idleTimeout,
    };
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
   * will go. Returns why that is not possible instead.
   */
  async begin(file: FileHeader, blocks: readonly Uint8Array[]): Promise<Incoming | Problem> {
    if (this.#inFlight.has(file.name)) {
      return refusal("another sender is sending a file of this name");
    }
    const finalPath = join(this.#dir, file.name);
    if (!this.#flags.overwrite && await exists(finalPath)) return refusal("already exists");
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
   * Finishes `incoming` after its last byte: verifies size and SHA-256, then renames it into
   * place (never replacing an existing file without --overwrite). Returns why it was not saved,
   * or undefined when it was. The temporary file is gone either way.
   */
  async commit(incoming: Incoming, received: number): Promise<Problem | undefined> {
    const { file, tempPath, handle, writer } = incoming;
    const finalPath = join(this.#dir, file.name);
    try {
      await writer.close();
      const problem = verifyReceived(file, received, incoming.hash.digest("hex"));
      if (problem) {
        await handle.close();
        return refusal(problem);
      }
      // Durable before it gets its name: the data (also what went around the page cache) and
      // the file's metadata reach the disk.
      await handle.sync();
      await handle.close();
      if (this.#flags.overwrite) {
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

/** How a session's reading ended. */
type ReadEnd =
  /** The sender half-closed (or closed): end of stream. */
  | "eof"
  /** The read failed, or the receiver cut the sender. */
  | "broken"
  /** The session ended itself: a fatal refusal or a protocol error, already answered. */
  | "over";

/** One sender's connection. */
class Session {
  readonly #receiver: Receiver;
  readonly #conn: Connection;
  readonly #peer: string;
  readonly #machine: ReceiverMachine;
  readonly #rule: ProgressRule;
  #incoming: Incoming | undefined;
  #pendingHeader: FileHeader | undefined;
  #headerAt = 0;
  #endReason: string | undefined;
  /** Why the receiver cut this sender (too slow, silent, stopped), once it did. */
  #cutReason: string | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether a read from the sender is pending (so an answer would be in order now). */
  #reading = false;
  /** This sender's blocks, taken with its first file. */
  #blocks: Uint8Array[] | undefined;
  /** Whether the sender sent any bytes. */
  spoke = false;

  constructor(receiver: Receiver, conn: Connection, onStop: (stop: () => void) => void) {
    this.#receiver = receiver;
    this.#conn = conn;
    this.#peer = peerLabel(conn.remoteAddr);
    this.#machine = new ReceiverMachine(receiver.flags.maxSize);
    this.#rule = new ProgressRule(receiver.limits);
    onStop(() => this.#cut("the receiver was stopped", STOP_GRACE_MS));
  }

  async run(): Promise<void> {
    const checkMs = progressCheckEveryMs(this.#receiver.limits);
    const ticker = setInterval(() => this.#check(), checkMs);
    try {
      const end = await this.#readAll();
      if (end !== "over") await this.#finish(end === "eof");
    } finally {
      clearInterval(ticker);
      if (this.#incoming) await this.#abort(this.#endReason ?? "the receiver failed", false);
      if (this.#blocks) this.#receiver.returnBlocks(this.#blocks);
      // A cut sender gets its answer before the connection closes (see lingerClose).
      if (this.#cutReason !== undefined) await drain(this.#conn);
      clearTimeout(this.#closeTimer);
      this.#conn.close();
    }
  }

  /** Reads the sender's bytes and acts on every frame event until the stream ends. */
  async #readAll(): Promise<ReadEnd> {
    const decoder = new FrameDecoder({
      maxHeaderBytes: MAX_HEADER_BYTES,
      maxBodyBytes: Number.MAX_SAFE_INTEGER,
    });
    // Body bytes are copied out of the buffer (into the file's blocks) before the next read.
    const buffer = new Uint8Array(READ_BUFFER);
    const events: FrameEvent[] = [];
    for (;;) {
      const n = await this.#read(buffer);
      if (n === undefined || this.#cutReason !== undefined) return "broken";
      if (n === null) return "eof";
      this.spoke = true;
      events.length = 0;
      let bad: FrameError | undefined;
      try {
        decoder.pushInto(buffer.subarray(0, n), events);
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        bad = error;
      }
      for (const event of events) {
        if (event.type === "header") this.#rule.headerReceived();
        else if (event.type === "end") this.#rule.frameEnded();
        if (!(await this.#act(this.#machine.handle(event)))) return "over";
        if (this.#cutReason !== undefined) return "broken";
      }
      if (bad) {
        await this.#protocolError(bad);
        return "over";
      }
    }
  }

  /** One read, timed on the sender's clock: bytes read, null at end of stream, undefined broken. */
  async #read(buffer: Uint8Array): Promise<number | null | undefined> {
    let n: number | null = 0;
    this.#reading = true;
    this.#rule.waitStart(performance.now());
    try {
      n = await this.#conn.read(buffer);
      return n;
    } catch (error) {
      this.#endReason ??= error instanceof NetError ? error.message : String(error);
      return undefined;
    } finally {
      this.#reading = false;
      this.#rule.waitEnd(performance.now(), n ?? 0);
    }
  }

  /** The sender broke the framing: the file in progress is dropped, the sender told, and cut. */
  async #protocolError(error: FrameError): Promise<void> {
    const name = this.#machine.receiving;
    await this.#act(this.#machine.eof(`protocol error: ${error.message}`));
    await sendAck(this.#conn, { ok: false, name, error: `protocol error: ${error.message}` });
    await lingerClose(this.#conn);
  }

  /**
   * The sender's stream ended. Inside a file that is an abort; when the sender only half-closed
   * (`clean`), it is told which file was cut short and after how many bytes.
   */
  async #finish(clean: boolean): Promise<void> {
    const action = this.#machine.eof(this.#endReason);
    if (action.type !== "abort") return;
    await this.#abort(action.reason, clean && this.#cutReason === undefined);
  }

  /** Performs one action; false when the session is over. */
  async #act(action: ReceiverAction): Promise<boolean> {
    switch (action.type) {
      case "open":
        return await this.#open(action.file);
      case "write": {
        const incoming = this.#incoming!;
        incoming.hash.update(action.chunk);
        try {
          await incoming.writer.push(action.chunk);
        } catch (error) {
          await this.#receiver.discard(incoming);
          this.#incoming = undefined;
          return this.#act(this.#machine.refuse(`cannot write: ${describeFsError(error)}`, true));
        }
        return true;
      }
      case "skip":
      case "none":
        return true;
      case "commit":
        await this.#commit(action.file, action.received);
        return true;
      case "ack":
        return await this.#answered(action.ack, action.close);
      case "abort":
        await this.#abort(action.reason, false);
        return false;
      case "done":
        return false;
    }
  }

  /** Starts a file: creates its temporary file, or refuses it. */
  async #open(file: FileHeader): Promise<boolean> {
    this.#headerAt = performance.now();
    this.#pendingHeader = file;
    this.#blocks ??= this.#receiver.takeBlocks();
    const started = await this.#receiver.begin(file, this.#blocks);
    if ("error" in started) {
      return this.#act(this.#machine.refuse(started.error, started.failed));
    }
    this.#incoming = started;
    return true;
  }

  /** All of a file arrived: verify, save (or not), answer and report it. */
  async #commit(file: FileHeader, received: number): Promise<void> {
    const incoming = this.#incoming!;
    this.#incoming = undefined;
    // Flushing and syncing a large file is the receiver's own work, not the sender's silence:
    // it is not counted on the sender's clock (no read is pending).
    let problem: Problem | undefined;
    try {
      await incoming.writer.finish();
      problem = await this.#receiver.commit(incoming, received);
    } catch (error) {
      await this.#receiver.discard(incoming);
      problem = failure(`cannot write: ${describeFsError(error)}`);
    }
    const seconds = (performance.now() - incoming.started) / 1000;
    await this.#answer(
      problem === undefined
        ? { ok: true, name: file.name }
        : { ok: false, name: file.name, error: problem.error, ...failedFlag(problem.failed) },
    );
    this.#receiver.settle({
      name: file.name,
      peer: this.#peer,
      status: problem === undefined ? "saved" : problem.failed ? "failed" : "refused",
      size: received,
      sha256: file.sha256,
      ...(problem === undefined ? {} : { error: problem.error }),
      seconds: round3(seconds),
      mbPerSecond: megabytesPerSecond(received, seconds),
    });
  }

  /** Sends a refusal the machine decided on and reports it; false when the session is over. */
  async #answered(ack: Ack, close: boolean): Promise<boolean> {
    await this.#answer(ack);
    const header = this.#pendingHeader?.name === ack.name ? this.#pendingHeader : undefined;
    this.#pendingHeader = undefined;
    this.#receiver.settle({
      name: ack.name,
      peer: this.#peer,
      status: ack.failed ? "failed" : "refused",
      size: header?.size ?? 0,
      error: ack.error ?? "refused",
      seconds: 0,
      mbPerSecond: 0,
    });
    if (!close) return true;
    await lingerClose(this.#conn);
    return false;
  }

  /**
   * Sends an answer. A sender that does not take it is being waited for: the time counts on its
   * clock, so one that stops reading is cut like one that stops sending.
   */
  async #answer(ack: Ack): Promise<void> {
    this.#rule.waitStart(performance.now());
    await sendAck(this.#conn, ack);
    this.#rule.waitEnd(performance.now(), 0);
  }

  /** Drops the file in progress (telling the sender when `answer`) and reports it failed. */
  async #abort(reason: string, answer: boolean): Promise<void> {
    const incoming = this.#incoming;
    if (!incoming) return;
    this.#incoming = undefined;
    await this.#receiver.discard(incoming);
    if (answer) {
      await this.#answer({ ok: false, name: incoming.file.name, error: reason, failed: true });
    }
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

  /** Applies the minimum-progress rule (called on a timer). */
  #check(): void {
    if (this.#cutReason !== undefined) return;
    const stall = this.#rule.check(performance.now());
    if (!stall) return;
    const reason = describeStall(stall);
    if (this.#machine.receiving === "") {
      this.#receiver.warn(`dropped ${escapeTerminal(this.#peer)}: ${reason}`);
    }
    this.#cut(reason, LINGER_MS);
  }

  /**
   * Cuts the sender: when the session is waiting for its bytes, it is told why (a failed answer
   * for the file in progress, or with no name between files) and the connection half-closed;
   * it is closed after `graceMs` at the latest.
   */
  #cut(reason: string, graceMs: number): void {
    if (this.#cutReason !== undefined) return;
    this.#cutReason = reason;
    this.#endReason ??= reason;
    this.#closeTimer = setTimeout(() => this.#conn.close(), graceMs);
    if (!this.#reading) return;
    const ack: Ack = { ok: false, name: this.#machine.receiving, error: reason, failed: true };
    void sendAck(this.#conn, ack).then(() => this.#conn.closeWrite()).catch(() => {});
  }
}

/** `{ failed: true }` to spread into an answer, or nothing. */
function failedFlag(failed: boolean): { failed?: true } {
  return failed ? { failed: true } : {};
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

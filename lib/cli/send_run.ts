/**
 * `netdiag send`: hash each file, stream it as one frame, collect the receiver's answers.
 * @module
 */
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, quote } from "../core/errors.ts";
import { unsafeFileNameReason } from "../core/file_name.ts";
import { describeFsError } from "../core/fs_error.ts";
import { encodeFrameHead, FrameDecoder } from "../core/framing.ts";
import { filesToHashFirst } from "../core/hash_plan.ts";
import {
  type Ack,
  fileFrameHeader,
  megabytesPerSecond,
  parseAck,
  parseTransferTarget,
  sendOutcome,
  type SendSummary,
  type SentFile,
} from "../core/transfer.ts";
import { type Connection, netAdapter, NetError } from "../net/mod.ts";
import { openStream, type ResultStream } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { formatDurationSetting, formatProgress, sendView } from "../output/views/transfer_view.ts";
import type { Io } from "../runtime/io.ts";
import { Hasher } from "../transfer/file_hash.ts";
import type { NetdiagContext } from "./context.ts";
import { dialStream } from "./dial.ts";
import type { SendFlags } from "./send.ts";

/** Bytes read from a file per step while streaming it. */
const CHUNK = 1024 * 1024;
/** Minimum milliseconds between progress-bar redraws. */
const PROGRESS_EVERY_MS = 100;

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

/** Runs `netdiag send`. */
export default async function send(
  this: NetdiagContext,
  flags: SendFlags,
  ...args: string[]
): Promise<void> {
  const format = outputFormat(flags);
  const targetText = args[args.length - 1];
  const target = parseTransferTarget(targetText);
  const files = await checkFiles(args.slice(0, -1));
  const adapter = await netAdapter();
  const progress = new ProgressLine(this.io, flags.progress ?? this.io.isTerminal("stderr"));
  // A header carries its file's hash, and a receiver drops a sender whose next header is late:
  // enough files are hashed before connecting for the rest to be hashed ahead of the stream.
  let connecting = true;
  const hasher = new Hasher(files.map((f) => f.path), (i) => {
    if (connecting) progress.hashing(files[i].name);
  });
  await hasher.result(filesToHashFirst(files.map((f) => f.size)) - 1).catch(() => {});
  connecting = false;
  let dialed;
  try {
    dialed = await dialStream(
      adapter,
      target.transport === "unix"
        ? { unix: target.path }
        : { host: target.host, port: target.port },
      flags.timeout,
    );
  } catch (error) {
    hasher.stop();
    throw error;
  }
  const { conn, address } = dialed;
  const stream = openStream(this, format, sendView, "files");
  const transfer: Transfer = {
    files,
    hasher,
    session: new SendSession(conn, flags.idleTimeout),
    progress,
    announced: [],
    localErrors: new Map(),
  };
  const started = performance.now();
  const writing = writeFiles(transfer);
  const results = await collectAnswers(transfer, stream);
  await writing;
  transfer.session.close();
  progress.clear();
  const seconds = (performance.now() - started) / 1000;
  const count = (status: SentFile["status"]) => results.filter((r) => r.status === status).length;
  const bytes = results.reduce((n, r) => n + (r.status === "verified" ? r.size : 0), 0);
  stream.end(
    {
      target: targetText,
      address,
      total: results.length,
      verified: count("verified"),
      refused: count("refused"),
      failed: count("failed"),
      bytes,
      seconds: round3(seconds),
      mbPerSecond: megabytesPerSecond(bytes, seconds),
    } satisfies SendSummary,
  );
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The state one `send` shares between its writer and the reader of answers. */
interface Transfer {
  readonly files: readonly Outgoing[];
  readonly hasher: Hasher;
  readonly session: SendSession;
  readonly progress: ProgressLine;
  /** The files whose header went out, by index. */
  readonly announced: Announced[];
  /** Why `send` could not send a file itself, by index (at most one: sending stops there). */
  readonly localErrors: Map<number, string>;
}

/** The progress line on stderr: which file is being hashed, then a bar while it streams. */
class ProgressLine {
  readonly #io: Io;
  readonly #on: boolean;
  readonly #started = performance.now();
  #lastDraw = 0;

  constructor(io: Io, on: boolean) {
    this.#io = io;
    this.#on = on;
  }

  /** Shows that `name` is being hashed. */
  hashing(name: string): void {
    if (this.#on) this.#io.write("stderr", `\r\x1b[K${name}: hashing…`);
  }

  /** Redraws the bar (at most every {@link PROGRESS_EVERY_MS} unless `force`). */
  draw(name: string, done: number, total: number, force = false): void {
    if (!this.#on) return;
    const now = performance.now();
    if (!force && now - this.#lastDraw < PROGRESS_EVERY_MS) return;
    this.#lastDraw = now;
    const seconds = (now - this.#started) / 1000;
    this.#io.write("stderr", "\r\x1b[K" + formatProgress({ name, done, total, seconds }));
  }

  /** Clears the line. */
  clear(): void {
    if (this.#on) this.#io.write("stderr", "\r\x1b[K");
  }
}

/**
 * Streams every file in order: its header once its hash is ready, then its bytes. Stops at the
 * first problem: a network one ends the session; one of `send`'s own (the file cannot be read,
 * or it shrank) half-closes it instead, so that the receiver still answers the files before and
 * says where this one was cut short.
 */
async function writeFiles(t: Transfer): Promise<void> {
  const { files, hasher, session, progress } = t;
  const buffers = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      if (session.stopped) return;
      progress.hashing(file.name);
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
      session.announce();
      try {
        await session.write(
          encodeFrameHead(fileFrameHeader({ name: file.name, size, sha256 }), size),
        );
        await streamFile(file.path, size, session, buffers, (done) => {
          progress.draw(file.name, done, size);
        });
        progress.draw(file.name, size, size, true);
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
async function collectAnswers(
  t: Transfer,
  stream: ResultStream<SentFile, SendSummary>,
): Promise<SentFile[]> {
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
    const seconds = info ? (performance.now() - info.startedAt) / 1000 : 0;
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
      seconds: round3(seconds),
      mbPerSecond: megabytesPerSecond(info?.size ?? 0, seconds),
    };
    t.progress.clear();
    results.push(result);
    stream.item(result);
  }
  return results;
}

/** Checks every path before connecting: a readable regular file with a sendable, unique name. */
async function checkFiles(paths: string[]): Promise<Outgoing[]> {
  const seen = new Map<string, string>();
  const out: Outgoing[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((e) => {
      throw new InputError(
        `cannot send ${quote(path)}: ${
          (e as { code?: string }).code === "ENOENT" ? "no such file" : String(e)
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
  path: string,
  size: number,
  session: SendSession,
  buffers: readonly Uint8Array[],
  onProgress: (done: number) => void,
): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
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
      onProgress(position);
    }
  } finally {
    await pending.catch(() => {});
    await handle.close();
  }
}

/**
 * The connection of one `send`: writes with an idle timer, and a reader collecting the
 * receiver's acknowledgements in order. A failure stops both sides and is kept as the reason
 * given for files left without an answer; abandoning (a problem with a file of `send`'s own)
 * stops only the writing, and the answers are still read.
 */
class SendSession {
  /** Why the session stopped early, if it did. */
  failure: string | undefined;
  /** Why the writing stopped early while the answers are still read, if it did. */
  abandoned: string | undefined;
  readonly #conn: Connection;
  readonly #idleMs: number;
  readonly #acks: Ack[] = [];
  /** Answers received in all. */
  #answers = 0;
  #readerDone = false;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #announced = 0;

  constructor(conn: Connection, idleMs: number) {
    this.#conn = conn;
    this.#idleMs = idleMs;
    this.#touch();
    void this.#read();
  }

  /** True once nothing more is to be written: failed, abandoned, or the receiver is gone. */
  get stopped(): boolean {
    return this.failure !== undefined || this.abandoned !== undefined || this.#readerDone;
  }

  /** True once the receiver's side of the connection has ended. */
  get receiverGone(): boolean {
    return this.#readerDone;
  }

  /** Notes that one more file is on its way (for the wait for its answer). */
  announce(): void {
    this.#announced++;
    this.#notify();
  }

  /** Writes bytes, resetting the idle timer. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.stopped) {
      throw new Error(this.failure ?? this.abandoned ?? "the receiver closed the connection");
    }
    await this.#conn.write(bytes);
    this.#touch();
  }

  /** Half-closes after the last file: the receiver sees the end and answers what is left. */
  async finishWriting(): Promise<void> {
    try {
      await this.#conn.closeWrite();
    } catch { /* the reader reports the failure */ }
  }

  /**
   * Stops writing for `reason` and half-closes, in the middle of a file or not: the receiver
   * answers what it got (a file cut short: "connection closed after N of M bytes") and closes.
   */
  abandon(reason: string): void {
    if (this.stopped) return;
    this.abandoned = reason;
    void this.finishWriting();
  }

  /** Stops the session with `reason` (kept for the files without an answer). */
  fail(reason: string): void {
    this.failure ??= reason;
    this.#conn.close();
    this.#notify();
  }

  /** The next acknowledgement in order, or null when none will come. */
  async nextAck(): Promise<Ack | null> {
    for (;;) {
      const ack = this.#acks.shift();
      if (ack) return ack;
      if (this.failure !== undefined || this.#readerDone) return null;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Closes the connection and stops the timer. */
  close(): void {
    clearTimeout(this.#timer);
    this.#conn.close();
  }

  #touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => this.fail(`no progress for ${formatDurationSetting(this.#idleMs)}: giving up`),
      this.#idleMs,
    );
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #read(): Promise<void> {
    const decoder = new FrameDecoder({ maxHeaderBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 });
    const buffer = new Uint8Array(16 * 1024);
    let header: Record<string, unknown> | undefined;
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        this.#touch();
        for (const event of decoder.push(buffer.subarray(0, n))) {
          if (event.type === "header") header = event.header;
          else if (event.type === "end") {
            const ack = parseAck(header ?? {});
            if (!ack) {
              throw new Error("protocol error: the receiver's answer is not an acknowledgement");
            }
            this.#acks.push(ack);
            this.#answers++;
            this.#notify();
          }
        }
      }
      if (this.failure === undefined && this.#answers < this.#announced) {
        this.failure = "the receiver closed the connection before answering";
      }
    } catch (error) {
      if (this.failure === undefined) {
        this.failure = error instanceof NetError || error instanceof Error
          ? error.message
          : String(error);
      }
    } finally {
      this.#readerDone = true;
      clearTimeout(this.#timer);
      this.#notify();
      // Nothing more will be answered: stop a writer still streaming to a receiver that is gone.
      this.#conn.close();
    }
  }
}

/**
 * `netdiag send`: hash each file, stream it as one frame, collect the receiver's answers.
 * @module
 */
import { createHash } from "node:crypto";
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, quote } from "../core/errors.ts";
import { unsafeFileNameReason } from "../core/file_name.ts";
import { encodeFrameHead, FrameDecoder } from "../core/framing.ts";
import {
  type Ack,
  fileFrameHeader,
  megabytesPerSecond,
  parseAck,
  parseTransferTarget,
  type SendSummary,
  type SentFile,
} from "../core/transfer.ts";
import { type Connection, netAdapter, NetError } from "../net/mod.ts";
import { openStream } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { formatDurationSetting, formatProgress, sendView } from "../output/views/transfer_view.ts";
import type { NetdiagContext } from "./context.ts";
import { dialStream } from "./dial.ts";
import type { SendFlags } from "./send.ts";

/** Bytes read from a file per step while streaming it. */
const CHUNK = 1024 * 1024;
/** Bytes read from a file per step while hashing it (fits in L2 with the hash's reading of it). */
const HASH_CHUNK = 256 * 1024;
/** Minimum milliseconds between progress-bar redraws. */
const PROGRESS_EVERY_MS = 100;

interface Outgoing {
  readonly path: string;
  readonly name: string;
}

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
  // The first file is hashed before connecting: its header needs the hash, and a receiver that
  // waited through a long hash on an open connection would give up on an idle sender.
  if (this.io.isTerminal("stderr") && flags.progress !== false) {
    this.io.write("stderr", `\r\x1b[K${files[0].name}: hashing…`);
  }
  const first = prepare(files[0]);
  await first.catch(() => {});
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
    release(first);
    throw error;
  }
  const { conn, address } = dialed;
  const stream = openStream(this, format, sendView, "files");
  const showProgress = flags.progress ?? this.io.isTerminal("stderr");
  const clearProgress = () => showProgress && this.io.write("stderr", "\r\x1b[K");
  let lastDraw = 0;
  const started = performance.now();
  const draw = (name: string, done: number, total: number, force = false) => {
    if (!showProgress) return;
    const now = performance.now();
    if (!force && now - lastDraw < PROGRESS_EVERY_MS) return;
    lastDraw = now;
    this.io.write(
      "stderr",
      "\r\x1b[K" + formatProgress({ name, done, total, seconds: (now - started) / 1000 }),
    );
  };

  const session = new SendSession(conn, flags.idleTimeout);
  const sent: { file: Outgoing; size: number; sha256: string; startedAt: number }[] = [];
  const sender = (async () => {
    // Each file is hashed while the one before it streams, so that its header (which needs the
    // hash) is ready when that one ends.
    let next: Promise<Prepared> | undefined = first;
    try {
      for (let i = 0; i < files.length; i++) {
        const file = files[i];
        const current = next!;
        next = undefined;
        if (session.stopped) {
          release(current);
          return;
        }
        let handle: FileHandle | undefined;
        try {
          if (showProgress) this.io.write("stderr", `\r\x1b[K${file.name}: hashing…`);
          const prepared = await current;
          handle = prepared.handle;
          const { size, sha256 } = prepared;
          if (i + 1 < files.length) next = prepare(files[i + 1]);
          const startedAt = performance.now();
          sent.push({ file, size, sha256, startedAt });
          session.announce();
          await session.write(
            encodeFrameHead(fileFrameHeader({ name: file.name, size, sha256 }), size),
          );
          await streamBody(handle, size, session, (done) => draw(file.name, done, size));
          draw(file.name, size, size, true);
        } catch (error) {
          session.fail(
            session.receiverGone
              ? "not sent: the receiver closed the connection"
              : error instanceof NetError
              ? error.message
              : `cannot read ${quote(file.path)}: ${(error as Error).message ?? error}`,
          );
          return;
        } finally {
          await handle?.close();
        }
      }
      await session.finishWriting();
    } finally {
      if (next) release(next);
    }
  })();

  const results: SentFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const ack = await session.nextAck();
    const info = sent[i];
    const seconds = info ? (performance.now() - info.startedAt) / 1000 : 0;
    const base = {
      path: files[i].path,
      name: files[i].name,
      size: info?.size ?? 0,
      sha256: info?.sha256 ?? "",
      seconds: round3(seconds),
      mbPerSecond: megabytesPerSecond(info?.size ?? 0, seconds),
    };
    let result: SentFile;
    if (ack === null) {
      result = {
        ...base,
        status: "failed",
        error: session.failure ?? "no answer from the receiver",
      };
    } else if (ack.ok && ack.name !== files[i].name) {
      session.fail(
        `protocol error: answer for ${quote(ack.name)}, expected ${quote(files[i].name)}`,
      );
      result = { ...base, status: "failed", error: session.failure };
    } else if (ack.ok) {
      result = { ...base, status: "verified" };
    } else {
      result = { ...base, status: "refused", error: ack.error ?? "refused" };
    }
    clearProgress();
    results.push(result);
    stream.item(result);
  }
  await sender;
  session.close();
  clearProgress();
  const seconds = (performance.now() - started) / 1000;
  const bytes = results.reduce((n, r) => n + (r.status === "verified" ? r.size : 0), 0);
  const summary: SendSummary = {
    target: targetText,
    address,
    total: results.length,
    verified: results.filter((r) => r.status === "verified").length,
    refused: results.filter((r) => r.status === "refused").length,
    failed: results.filter((r) => r.status === "failed").length,
    bytes,
    seconds: round3(seconds),
    mbPerSecond: megabytesPerSecond(bytes, seconds),
  };
  stream.end(summary);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

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
    out.push({ path, name });
  }
  return out;
}

/** A file opened and hashed, ready to stream. */
interface Prepared {
  readonly handle: FileHandle;
  readonly size: number;
  readonly sha256: string;
}

/**
 * Opens and hashes a file in the background; the handle stays open for streaming it. A failure
 * never goes unobserved: it is seen where the promise is awaited, or dropped by {@link release}.
 */
function prepare(file: Outgoing): Promise<Prepared> {
  const prepared = (async () => {
    const handle = await open(file.path, "r");
    try {
      return { handle, ...(await hashFile(handle)) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  })();
  prepared.catch(() => {});
  return prepared;
}

/** Drops a prepared file that will not be sent: closes its handle once it is open. */
function release(prepared: Promise<Prepared>): void {
  prepared.then((p) => p.handle.close()).catch(() => {});
}

/**
 * Reads a file to its end, returning its length and SHA-256 (constant memory). The next read
 * is in flight while the current chunk is hashed.
 */
async function hashFile(handle: FileHandle): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  const buffers = [new Uint8Array(HASH_CHUNK), new Uint8Array(HASH_CHUNK)];
  let which = 0;
  let size = 0;
  let pending = handle.read(buffers[which], 0, HASH_CHUNK, 0);
  for (;;) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break;
    const chunk = buffers[which].subarray(0, bytesRead);
    size += bytesRead;
    which ^= 1;
    pending = handle.read(buffers[which], 0, HASH_CHUNK, size);
    hash.update(chunk);
  }
  return { size, sha256: hash.digest("hex") };
}

/**
 * Streams exactly `size` bytes of the file, reading the next chunk while the current one is
 * being written. A file that shrank since it was hashed cannot finish its frame: that is an error.
 */
async function streamBody(
  handle: FileHandle,
  size: number,
  session: SendSession,
  onProgress: (done: number) => void,
): Promise<void> {
  const buffers = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
  let position = 0;
  let which = 0;
  const readAt = (buffer: Uint8Array, at: number) =>
    at >= size
      ? Promise.resolve({ bytesRead: 0 })
      : handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
  let pending = readAt(buffers[which], position);
  while (position < size) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) throw new Error("the file shrank while it was being sent");
    const chunk = buffers[which].subarray(0, bytesRead);
    position += bytesRead;
    which ^= 1;
    pending = readAt(buffers[which], position);
    await session.write(chunk);
    onProgress(position);
  }
  await pending;
}

/**
 * The connection of one `send`: writes with an idle timer, and a reader collecting the
 * receiver's acknowledgements in order. Any failure stops both sides and is kept as the reason
 * given for files left without an answer.
 */
class SendSession {
  /** Why the session stopped early, if it did. */
  failure: string | undefined;
  readonly #conn: Connection;
  readonly #idleMs: number;
  readonly #acks: Ack[] = [];
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

  /** True once the session failed or the receiver stopped answering. */
  get stopped(): boolean {
    return this.failure !== undefined || this.#readerDone;
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
    if (this.stopped) throw new Error(this.failure ?? "the receiver closed the connection");
    await this.#conn.write(bytes);
    this.#touch();
  }

  /** Half-closes after the last file: the receiver sees the end and answers what is left. */
  async finishWriting(): Promise<void> {
    try {
      await this.#conn.closeWrite();
    } catch { /* the reader reports the failure */ }
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
      if (this.stopped) return null;
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
            this.#notify();
          }
        }
      }
      if (this.failure === undefined && this.#acks.length < this.#announced) {
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

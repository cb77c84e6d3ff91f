/**
 * One sender's connection to a receiver: reads frames, drives the protocol machine
 * (lib/core/transfer.ts), streams each file into the store, answers every file, and holds the
 * sender to the minimum-progress rule (lib/core/progress_rule.ts).
 * @module
 */
import { describeFsError } from "../core/fs_error.ts";
import { encodeFrame, FrameDecoder, FrameError, type FrameEvent } from "../core/framing.ts";
import {
  describeStall,
  progressCheckEveryMs,
  type ProgressLimits,
  ProgressRule,
} from "../core/progress_rule.ts";
import {
  type Ack,
  ackFrameHeader,
  bytesPerSecond,
  type FileHeader,
  type ReceivedFile,
  type ReceiverAction,
  ReceiverMachine,
  roundMs,
  type TransferAddress,
} from "../core/transfer.ts";
import { type Connection, NetError, type SocketAddress } from "../net/types.ts";
import { failure, type FileStore, type Incoming, type Problem } from "./receive_store.ts";

/**
 * Bytes read from a sender per step outside a file's body (inside one, reads go straight into
 * the file's write block, see BlockWriter.space).
 */
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

/** What a session needs from its receiver. */
export interface SessionContext {
  readonly store: FileStore;
  /** The minimum progress every sender must keep. */
  readonly limits: ProgressLimits;
  /** Files over this many bytes are refused (and the sender cut). */
  readonly maxSizeBytes: number;
  /** Records and reports a settled file. */
  settle(file: ReceivedFile): void;
  /** A sender was cut between files, for `reason` (no file to report it with). */
  dropped(peer: TransferAddress, reason: string): void;
}

/** A socket address as results show it. */
export function transferAddress(addr: SocketAddress): TransferAddress {
  if (addr.transport === "unix") return { path: addr.path ?? "" };
  return { address: addr.hostname, port: addr.port, family: addr.hostname.includes(":") ? 6 : 4 };
}

/** Answers a connection that cannot be served with one refusal and closes it. */
export async function turnAway(conn: Connection, error: string): Promise<void> {
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

/** How a session's reading ended. */
type ReadEnd =
  /** The sender half-closed (or closed): end of stream. */
  | "eof"
  /** The read failed, or the receiver cut the sender. */
  | "broken"
  /** The session ended itself: a fatal refusal or a protocol error, already answered. */
  | "over";

/** One sender's connection. */
export class ReceiveSession {
  readonly #ctx: SessionContext;
  readonly #conn: Connection;
  readonly #peer: TransferAddress;
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

  /** A session for `conn`, served by {@link run}. */
  constructor(ctx: SessionContext, conn: Connection) {
    this.#ctx = ctx;
    this.#conn = conn;
    this.#peer = transferAddress(conn.remoteAddr);
    this.#machine = new ReceiverMachine(ctx.maxSizeBytes);
    this.#rule = new ProgressRule(ctx.limits);
  }

  /** Cuts the sender because the receiver stops: its file in progress is dropped. */
  stop(): void {
    this.#cut("the receiver was stopped", STOP_GRACE_MS);
  }

  /** Serves the sender until it is done; every file is settled when this resolves. */
  async run(): Promise<void> {
    const ticker = setInterval(() => this.#check(), progressCheckEveryMs(this.#ctx.limits));
    try {
      const end = await this.#readAll();
      if (end !== "over") await this.#finish(end === "eof");
    } finally {
      clearInterval(ticker);
      if (this.#incoming) await this.#abort(this.#endReason ?? "the receiver failed", false);
      if (this.#blocks) this.#ctx.store.returnBlocks(this.#blocks);
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
    // Inside a file, bytes are received into its write block (no copy when they are its body);
    // elsewhere into this buffer. Either way they are used up before the next read.
    const buffer = new Uint8Array(READ_BUFFER);
    const events: FrameEvent[] = [];
    for (;;) {
      const into = this.#incoming?.writer.space() ?? buffer;
      const n = await this.#read(into);
      if (n === undefined || this.#cutReason !== undefined) return "broken";
      if (n === null) return "eof";
      this.spoke = true;
      events.length = 0;
      let bad: FrameError | undefined;
      try {
        decoder.pushInto(into.subarray(0, n), events);
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
        // Inline, not a method: one chunk costs no promise beyond this one.
        const incoming = this.#incoming!;
        incoming.hash.update(action.chunk);
        try {
          await incoming.writer.push(action.chunk);
        } catch (error) {
          await this.#ctx.store.discard(incoming);
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
      case "greet":
        await this.#answer(action.ack);
        return true;
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
    this.#blocks ??= this.#ctx.store.takeBlocks();
    const started = await this.#ctx.store.begin(file, this.#blocks);
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
      problem = await this.#ctx.store.commit(incoming, received, file);
    } catch (error) {
      await this.#ctx.store.discard(incoming);
      problem = failure(`cannot write: ${describeFsError(error)}`);
    }
    const ms = performance.now() - incoming.started;
    await this.#answer(
      problem === undefined
        ? { ok: true, name: file.name }
        : { ok: false, name: file.name, error: problem.error, ...failedFlag(problem.failed) },
    );
    this.#ctx.settle({
      name: file.name,
      peer: this.#peer,
      status: problem === undefined ? "saved" : problem.failed ? "failed" : "refused",
      size: received,
      ...sha256Field(file.sha256),
      ...(problem === undefined ? {} : { error: problem.error }),
      durationMs: roundMs(ms),
      bytesPerSecond: bytesPerSecond(received, ms),
    });
  }

  /** Sends a refusal the machine decided on and reports it; false when the session is over. */
  async #answered(ack: Ack, close: boolean): Promise<boolean> {
    await this.#answer(ack);
    const header = this.#pendingHeader?.name === ack.name ? this.#pendingHeader : undefined;
    this.#pendingHeader = undefined;
    this.#ctx.settle({
      name: ack.name,
      peer: this.#peer,
      status: ack.failed ? "failed" : "refused",
      size: header?.size ?? 0,
      ...sha256Field(header?.sha256),
      error: ack.error ?? "refused",
      durationMs: 0,
      bytesPerSecond: 0,
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
    await this.#ctx.store.discard(incoming);
    if (answer) {
      await this.#answer({ ok: false, name: incoming.file.name, error: reason, failed: true });
    }
    this.#ctx.settle({
      name: incoming.file.name,
      peer: this.#peer,
      status: "failed",
      size: this.#machine.received,
      ...sha256Field(incoming.file.sha256),
      error: reason,
      durationMs: roundMs(performance.now() - this.#headerAt),
      bytesPerSecond: 0,
    });
  }

  /** Applies the minimum-progress rule (called on a timer). */
  #check(): void {
    if (this.#cutReason !== undefined) return;
    const stall = this.#rule.check(performance.now());
    if (!stall) return;
    const reason = describeStall(stall);
    if (this.#machine.receiving === "") this.#ctx.dropped(this.#peer, reason);
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

/** `{ sha256 }` to spread into a result when the hash is known (version 2: after the body). */
function sha256Field(sha256: string | undefined): { sha256?: string } {
  return sha256 === undefined ? {} : { sha256 };
}

/** `{ failed: true }` to spread into an answer, or nothing. */
function failedFlag(failed: boolean): { failed?: true } {
  return failed ? { failed: true } : {};
}

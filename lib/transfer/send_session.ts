/**
 * The connection of one `send`: writes with an idle timer, and a reader collecting the
 * receiver's acknowledgements in order.
 * @module
 */
import { encodeFrame, encodeFrameHead, FrameDecoder } from "../core/framing.ts";
import { formatDurationSetting } from "../core/duration_setting.ts";
import {
  type Ack,
  fileFrameHeader,
  type FileHeader,
  helloFrameHeader,
  parseAck,
  trailerFrameHeader,
} from "../core/transfer.ts";
import { type Connection, NetError } from "../net/types.ts";

/** Largest answer header accepted from a receiver. */
const MAX_ANSWER_HEADER_BYTES = 64 * 1024;
/** Largest answer body accepted (answers have none). */
const MAX_ANSWER_BODY_BYTES = 1024 * 1024;
/** Bytes read per step from the receiver (answers are small). */
const ANSWER_READ_BYTES = 16 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * One `send`'s connection. A failure stops both sides and is kept as the reason given for files
 * left without an answer; abandoning (a problem with a file of `send`'s own) stops only the
 * writing, and the answers are still read.
 */
export class SendSession {
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

  /** Starts reading answers from `conn`; `idleMs` without progress either way fails it. */
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

  /**
   * Says hello (version 2) and waits for the answer, which lists the versions the receiver
   * takes (a receiver older than version 2 refuses it as a malformed header). Null when no
   * answer came: the session failed (see {@link failure}) or the receiver closed.
   */
  async hello(): Promise<Ack | null> {
    this.#announced++;
    try {
      await this.write(encodeFrame(helloFrameHeader(), EMPTY));
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
    return await this.nextAck();
  }

  /** Writes the trailer frame with the SHA-256 of the body just written (version 2). */
  async trailer(sha256: string): Promise<void> {
    await this.write(encodeFrame(trailerFrameHeader(sha256), EMPTY));
  }

  /** Announces one more file: notes it (for the wait for its answer) and writes its header. */
  async announce(file: FileHeader): Promise<void> {
    this.#announced++;
    this.#notify();
    await this.write(encodeFrameHead(fileFrameHeader(file), file.size));
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
    const decoder = new FrameDecoder({
      maxHeaderBytes: MAX_ANSWER_HEADER_BYTES,
      maxBodyBytes: MAX_ANSWER_BODY_BYTES,
    });
    const buffer = new Uint8Array(ANSWER_READ_BYTES);
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

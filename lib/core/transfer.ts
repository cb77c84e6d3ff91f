/**
 * The file-transfer protocol of `send` and `receive`, on top of the framing protocol
 * (lib/core/framing.ts): each file is one frame whose JSON header is `{size, name, sha256}`
 * (version 1: the hash first) or `{size, name, trailer: "sha256"}` followed by a trailer frame
 * `{size: 0, sha256}` (version 2: the hash after the body), and whose body is the file's bytes;
 * the receiver answers every file, in order, with a frame whose header is
 * `{size: 0, ok, name, error?, failed?}` and whose body is empty. A version 2 sender first says
 * hello (`{size: 0, hello, versions}`) and learns the versions the receiver takes from the
 * answer (see docs/protocols/transfer.md). Also the results `send` and `receive` report
 * (lib/transfer/) and their exit codes. Pure: no I/O, no hashing.
 * @module
 */
import { ExitCode } from "./exit_code.ts";
import { InputError, quote } from "./errors.ts";
import { unsafeFileNameReason } from "./file_name.ts";
import type { FrameEvent } from "./framing.ts";
import { parsePort } from "./parse_number.ts";
import { parseUnixPath } from "./unix_path.ts";

/** What a sender announces about one file before its bytes. */
export interface FileHeader {
  /** The file's name (one safe component, see lib/core/file_name.ts). */
  readonly name: string;
  /** The number of bytes that follow. */
  readonly size: number;
  /**
   * The SHA-256 of those bytes, 64 lowercase hex digits; absent when it follows the body in a
   * trailer frame (version 2).
   */
  readonly sha256?: string;
}

/** The protocol versions this implementation takes, oldest first. */
export const TRANSFER_VERSIONS: readonly number[] = Object.freeze([1, 2]);
/** The value of a hello frame's `hello` key. */
export const HELLO = "netdiag-transfer";

/** The receiver's answer to one file. */
export interface Ack {
  /** True when the file was saved under its name after size and SHA-256 matched. */
  readonly ok: boolean;
  /** The name from the file's header (as sent, even when refused). */
  readonly name: string;
  /** Why the file was refused. */
  readonly error?: string;
  /**
   * True when the file was not refused on its merits but failed for an operational reason: the
   * receiver could not write it (disk full, I/O error), the connection ended inside it, or the
   * sender was cut (too slow, silent, receiver stopped). Senders report such a file as failed
   * (exit 3), not refused (exit 1). Absent on the wire when false.
   */
  readonly failed?: boolean;
  /** On the answer to a hello only: the protocol versions the receiver takes. */
  readonly versions?: readonly number[];
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The JSON header of a file frame (the framing layer fills in `size` from the body length):
 * with the hash (version 1) or announcing a trailer (version 2) when `file` has none.
 */
export function fileFrameHeader(file: FileHeader): Record<string, unknown> {
  return file.sha256 === undefined
    ? { name: file.name, size: file.size, trailer: "sha256" }
    : { name: file.name, size: file.size, sha256: file.sha256 };
}

/** The JSON header of the trailer frame that follows a version 2 file's body (no body). */
export function trailerFrameHeader(sha256: string): Record<string, unknown> {
  return { size: 0, sha256 };
}

/** The JSON header of a sender's hello (no body): the versions it speaks. */
export function helloFrameHeader(versions: readonly number[] = TRANSFER_VERSIONS): Record<
  string,
  unknown
> {
  return { size: 0, hello: HELLO, versions: [...versions] };
}

/**
 * The version a sender speaking `mine` uses with a receiver whose answer to its hello was
 * `answer`: the highest both take, or undefined when the answer names none (a receiver older
 * than version 2 refuses the hello as a malformed header).
 */
export function agreedVersion(
  answer: Ack | null,
  mine: readonly number[] = TRANSFER_VERSIONS,
): number | undefined {
  if (!answer?.ok || answer.versions === undefined) return undefined;
  const common = answer.versions.filter((v) => mine.includes(v));
  return common.length > 0 ? Math.max(...common) : undefined;
}

/** The JSON header of an acknowledgement frame (its body is empty). */
export function ackFrameHeader(ack: Ack): Record<string, unknown> {
  const header: Record<string, unknown> = { size: 0, ok: ack.ok, name: ack.name };
  if (ack.error !== undefined) header.error = ack.error;
  if (ack.failed) header.failed = true;
  if (ack.versions !== undefined) header.versions = [...ack.versions];
  return header;
}

/** The outcome of checking a received file header. */
export type HeaderCheck =
  | { readonly ok: true; readonly file: FileHeader }
  | {
    readonly ok: false;
    /** The name as received, for the acknowledgement ("" when there was none). */
    readonly name: string;
    readonly error: string;
    /**
     * True when the receiver must not read the body (too large, malformed): it answers and
     * closes the connection. False when the body is read and discarded and the next file follows.
     */
    readonly fatal: boolean;
  };

/**
 * Checks a file frame's header: a string `name` that is a safe file name, a whole `size` within
 * `maxSize`, and either a 64-digit hex `sha256` (version 1) or `trailer: "sha256"` (version 2:
 * the hash follows the body), not both. Unsafe names are refused (not rewritten).
 */
export function checkFileHeader(header: Record<string, unknown>, maxSize: number): HeaderCheck {
  const name = typeof header.name === "string" ? header.name : "";
  const bad = (error: string, fatal: boolean): HeaderCheck => ({ ok: false, name, error, fatal });
  if (typeof header.name !== "string") return bad("malformed header: no file name", true);
  const size = header.size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    return bad("malformed header: no valid size", true);
  }
  const trailing = header.trailer !== undefined;
  if (trailing && (header.trailer !== "sha256" || header.sha256 !== undefined)) {
    return bad('malformed header: trailer must be "sha256", without a sha256 in the header', true);
  }
  if (!trailing && (typeof header.sha256 !== "string" || !SHA256_HEX.test(header.sha256))) {
    return bad("malformed header: sha256 must be 64 hex digits", true);
  }
  if (size > maxSize) return bad(`too large: ${size} bytes, at most ${maxSize}`, true);
  const unsafe = unsafeFileNameReason(name);
  if (unsafe) return bad(`unsafe name: ${unsafe}`, false);
  if (trailing) return { ok: true, file: { name, size } };
  return { ok: true, file: { name, size, sha256: (header.sha256 as string).toLowerCase() } };
}

/**
 * Checks a trailer frame's header: `size` 0 and a 64-digit hex `sha256`. Returns the hash in
 * lower case, or why the frame is not a trailer.
 */
export function checkTrailer(
  header: Record<string, unknown>,
): { readonly sha256: string } | { readonly error: string } {
  if (header.size !== 0) return { error: "protocol error: a sha256 trailer must have no body" };
  if (typeof header.sha256 !== "string" || !SHA256_HEX.test(header.sha256)) {
    return { error: "protocol error: expected a sha256 trailer of 64 hex digits" };
  }
  return { sha256: header.sha256.toLowerCase() };
}

/** Whether a frame header is a sender's hello (a `hello` key, whatever else it has). */
export function isHello(header: Record<string, unknown>): boolean {
  return header.hello !== undefined;
}

/** Parses an acknowledgement frame's header; undefined when it is not one. */
export function parseAck(header: Record<string, unknown>): Ack | undefined {
  if (typeof header.ok !== "boolean" || typeof header.name !== "string") return undefined;
  if (header.error !== undefined && typeof header.error !== "string") return undefined;
  if (header.failed !== undefined && typeof header.failed !== "boolean") return undefined;
  const ack: { -readonly [K in keyof Ack]: Ack[K] } = { ok: header.ok, name: header.name };
  if (header.error !== undefined) ack.error = header.error;
  if (header.failed === true && !header.ok) ack.failed = true;
  const versions = header.versions;
  if (Array.isArray(versions) && versions.length <= 16) {
    ack.versions = versions.filter((v): v is number => Number.isSafeInteger(v));
  }
  return ack;
}

/**
 * Compares what arrived with what was announced. Returns why they differ ("size mismatch: …",
 * "sha256 mismatch: …"), or undefined when both match.
 */
export function verifyReceived(
  expected: FileHeader,
  receivedBytes: number,
  sha256: string,
): string | undefined {
  if (receivedBytes !== expected.size) {
    return `size mismatch: expected ${expected.size} bytes, received ${receivedBytes}`;
  }
  if (sha256.toLowerCase() !== expected.sha256?.toLowerCase()) {
    return `sha256 mismatch: expected ${expected.sha256}, received ${sha256.toLowerCase()}`;
  }
  return undefined;
}

/** What the receiver must do next, as decided by {@link ReceiverMachine}. */
export type ReceiverAction =
  /** Create the temporary file for `file` (on failure call {@link ReceiverMachine.refuse}). */
  | { readonly type: "open"; readonly file: FileHeader }
  /** Append `chunk` to the temporary file and to the running hash. */
  | { readonly type: "write"; readonly chunk: Uint8Array }
  /** Drop the chunk: it belongs to a refused file. */
  | { readonly type: "skip"; readonly bytes: number }
  /**
   * All of `file`'s bytes (and its trailer) arrived: verify against `file.sha256`, rename into
   * place (or delete) and acknowledge.
   */
  | { readonly type: "commit"; readonly file: FileHeader; readonly received: number }
  /** Send this acknowledgement now; with `close`, then close the connection. */
  | { readonly type: "ack"; readonly ack: Ack; readonly close: boolean }
  /** Answer the sender's hello with this (not a file: nothing to report). */
  | { readonly type: "greet"; readonly ack: Ack }
  /** The connection broke inside a file: delete its temporary file; nothing is saved. */
  | { readonly type: "abort"; readonly name: string; readonly reason: string }
  /** The sender finished cleanly between files. */
  | { readonly type: "done" }
  /** Nothing to do (a refused file's frame ended, a version 2 body ended before its trailer). */
  | { readonly type: "none" };

/** Where the receiver stands on one connection. */
export type ReceiverPhase = "idle" | "hello" | "receiving" | "skipping" | "closed";

/** Where a version 2 file stands after its body: waiting for the trailer, or for its end. */
type TrailerStep = "body" | "header" | "end";

/**
 * The receiving side of one connection, as a state machine over framing events: a hello (first
 * frame only) is answered with the versions taken, a header opens a file (or refuses it), body
 * chunks are written (or skipped for a refused file), the frame's end commits the file — or,
 * for a version 2 file, the end of the trailer frame that follows with its SHA-256; end of
 * stream between files is a clean finish and inside a file (its trailer included) an abort.
 * Pure: the caller performs the actions.
 */
export class ReceiverMachine {
  #phase: ReceiverPhase = "idle";
  #file: FileHeader | undefined;
  #name = "";
  #size = 0;
  #received = 0;
  #frames = 0;
  /** Whether the current file's hash follows its body (version 2), and how far that got. */
  #trailing = false;
  #step: TrailerStep = "body";
  #trailerSha = "";
  readonly #maxSize: number;

  /** Creates a machine refusing files over `maxSize` bytes. */
  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  /** The current phase. */
  get phase(): ReceiverPhase {
    return this.#phase;
  }

  /** Bytes of the current file's body seen so far. */
  get received(): number {
    return this.#received;
  }

  /** The name of the file being received ("" between files and for a refused file). */
  get receiving(): string {
    return this.#phase === "receiving" ? this.#name : "";
  }

  /** Consumes one framing event and says what to do. */
  handle(event: FrameEvent): ReceiverAction {
    switch (this.#phase) {
      case "closed":
        return { type: "none" };
      case "hello":
        if (event.type !== "end") return this.#close("protocol error: a hello must have no body");
        this.#phase = "idle";
        return { type: "none" };
      case "idle":
        if (event.type !== "header") return this.#close("protocol error: data outside a frame");
        return this.#header(event.header);
      case "receiving":
      case "skipping":
        return this.#step === "body" ? this.#body(event) : this.#trailer(event);
    }
  }

  #header(header: Record<string, unknown>): ReceiverAction {
    if (isHello(header)) {
      if (this.#frames++ > 0) return this.#close("protocol error: a hello after the first frame");
      this.#phase = "hello";
      return { type: "greet", ack: { ok: true, name: "", versions: TRANSFER_VERSIONS } };
    }
    this.#frames++;
    const check = checkFileHeader(header, this.#maxSize);
    this.#received = 0;
    if (!check.ok) {
      const ack: Ack = { ok: false, name: check.name, error: check.error };
      if (check.fatal) {
        this.#phase = "closed";
        return { type: "ack", ack, close: true };
      }
      this.#phase = "skipping";
      this.#name = check.name;
      this.#size = typeof header.size === "number" ? header.size : 0;
      this.#trailing = header.trailer !== undefined;
      this.#step = "body";
      return { type: "ack", ack, close: false };
    }
    this.#phase = "receiving";
    this.#file = check.file;
    this.#name = check.file.name;
    this.#size = check.file.size;
    this.#trailing = check.file.sha256 === undefined;
    this.#step = "body";
    return { type: "open", file: check.file };
  }

  #body(event: FrameEvent): ReceiverAction {
    if (event.type === "header") return this.#close("protocol error: header inside a frame");
    if (event.type === "body") {
      this.#received += event.chunk.length;
      return this.#phase === "receiving"
        ? { type: "write", chunk: event.chunk }
        : { type: "skip", bytes: event.chunk.length };
    }
    if (this.#trailing) {
      this.#step = "header";
      return { type: "none" };
    }
    return this.#settle(undefined);
  }

  /** The frame after a version 2 body: a trailer with its SHA-256, and that frame's end. */
  #trailer(event: FrameEvent): ReceiverAction {
    if (this.#step === "header") {
      if (event.type !== "header") return this.#close("protocol error: data outside a frame");
      const check = checkTrailer(event.header);
      if ("error" in check) return this.#close(check.error);
      this.#trailerSha = check.sha256;
      this.#step = "end";
      return { type: "none" };
    }
    if (event.type !== "end") {
      return this.#close("protocol error: a sha256 trailer must have no body");
    }
    return this.#settle(this.#trailerSha);
  }

  /** The file's last frame ended: commit it (with the trailer's hash, if it had one). */
  #settle(trailerSha: string | undefined): ReceiverAction {
    const wasReceiving = this.#phase === "receiving";
    this.#phase = "idle";
    this.#step = "body";
    const file = this.#file;
    this.#file = undefined;
    if (!wasReceiving || !file) return { type: "none" };
    const verified = trailerSha === undefined ? file : { ...file, sha256: trailerSha };
    return { type: "commit", file: verified, received: this.#received };
  }

  /**
   * Refuses the file being received (its name is taken; with `failed`, the receiver could not
   * create or write its temporary file): the rest of its body (and its trailer) is skipped.
   * Returns the acknowledgement to send.
   */
  refuse(error: string, failed = false): ReceiverAction {
    if (this.#phase !== "receiving") return { type: "none" };
    this.#phase = "skipping";
    this.#file = undefined;
    const ack: Ack = failed
      ? { ok: false, name: this.#name, error, failed }
      : { ok: false, name: this.#name, error };
    return { type: "ack", ack, close: false };
  }

  /**
   * The connection reached end of stream (or broke, with `reason`): a clean finish only between
   * files. Inside a file it is an abort, by default because the "connection closed after N of M
   * bytes" (or "… before its sha256 trailer" when only the trailer was missing).
   */
  eof(reason?: string): ReceiverAction {
    const phase = this.#phase;
    this.#phase = "closed";
    if (phase !== "receiving") return { type: "done" };
    const where = this.#step === "body"
      ? `connection closed after ${this.#received} of ${this.#size} bytes`
      : `connection closed after all ${this.#size} bytes, before their sha256 trailer`;
    return { type: "abort", name: this.#name, reason: reason ?? where };
  }

  #close(error: string): ReceiverAction {
    const wasReceiving = this.#phase === "receiving";
    const name = this.#name;
    this.#phase = "closed";
    if (wasReceiving) return { type: "abort", name, reason: error };
    return { type: "ack", ack: { ok: false, name, error }, close: true };
  }
}

/** Where `send` delivers: a TCP host and port or a Unix socket path. */
export type TransferTarget =
  | { readonly transport: "tcp"; readonly host: string; readonly port: number }
  | { readonly transport: "unix"; readonly path: string };

/**
 * Parses `send`'s TARGET: `HOST:PORT`, `[IPv6]:PORT`, a bare `PORT` (loopback, 127.0.0.1), or a
 * Unix socket path, recognised by a `/` (`./recv.sock`, `/run/netdiag.sock`).
 */
export function parseTransferTarget(text: string): TransferTarget {
  const allowed = "expected HOST:PORT, [IPv6]:PORT, PORT or a Unix socket path containing /";
  if (text.includes("/")) return { transport: "unix", path: parseUnixPath(text) };
  if (/^[0-9]+$/.test(text)) return { transport: "tcp", host: "127.0.0.1", port: parsePort(text) };
  const bracketed = /^\[([^\]]+)\]:([^:]+)$/.exec(text);
  if (bracketed) return { transport: "tcp", host: bracketed[1], port: parsePort(bracketed[2]) };
  const plain = /^([^:\[\]]+):([^:]+)$/.exec(text);
  if (plain) return { transport: "tcp", host: plain[1], port: parsePort(plain[2]) };
  throw new InputError(`invalid target ${quote(text)}: ${allowed}`);
}

/**
 * A socket address in a transfer's results: an IP endpoint (`address` as inet_ntop writes it,
 * `port`, `family`) or a Unix socket `path` (empty for a client socket without a name, the
 * usual case).
 */
export type TransferAddress =
  | { readonly address: string; readonly port: number; readonly family: 4 | 6 }
  | { readonly path: string };

/**
 * An address as one piece of text: `127.0.0.1:9009`, `[::1]:9009`, `/run/recv.sock`, or
 * `a unix client` for an unnamed Unix client socket.
 *
 * @example
 * ```ts
 * import { transferAddressText } from "./transfer.ts";
 * transferAddressText({ address: "::1", port: 9009, family: 6 }); // "[::1]:9009"
 * ```
 */
export function transferAddressText(a: TransferAddress): string {
  if ("path" in a) return a.path === "" ? "a unix client" : a.path;
  return a.family === 6 ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** How one file fared in `send`. */
export type SendStatus = "verified" | "refused" | "failed";

/** One file's result in `send`. */
export interface SentFile {
  /** The path given to send. */
  readonly path: string;
  /** The name sent (the path's last component). */
  readonly name: string;
  /** Bytes announced and streamed (0 when the file was never sent). */
  readonly size: number;
  /** Its SHA-256, 64 lowercase hex digits ("" when it was never hashed). */
  readonly sha256: string;
  /**
   * verified: the receiver saved it after checking; refused: it said no; failed: not sent, not
   * answered, or answered as failed (receiver's disk, connection ended inside it, cut).
   */
  readonly status: SendStatus;
  /** Why it was refused or failed. */
  readonly error?: string;
  /** Milliseconds from the file's first byte to its answer (0 when it was never sent). */
  readonly durationMs: number;
  /** Its size over that time, in bytes per second (0 unless verified, and for no time). */
  readonly bytesPerSecond: number;
}

/** What `send` knows about one file when it settles it. */
export interface SendFacts {
  /** The receiver's answer for it, or null when none came. */
  readonly ack: Ack | null;
  /** Whether its header went out (else it was never sent). */
  readonly sent: boolean;
  /**
   * Why `send` itself could not send all of it (the file could not be read, or it shrank):
   * the frame was cut short and the connection half-closed.
   */
  readonly localError?: string;
  /** Why the connection stopped, for a file without an answer. */
  readonly failure?: string;
}

/**
 * How one file of a `send` fared. A file `send` could not read to its end failed, whatever the
 * receiver says (its answer is added: "connection closed after N of M bytes"); a file never sent
 * or never answered failed; a receiver's answer marked `failed` (disk full, cut, …) is a failure,
 * any other "no" a refusal.
 */
export function sendOutcome(facts: SendFacts): { status: SendStatus; error?: string } {
  const { ack, sent, localError, failure } = facts;
  if (localError !== undefined) {
    const answer = ack === null
      ? sent ? "; the receiver did not answer" : ""
      : ack.ok
      ? "; yet the receiver accepted it"
      : `; the receiver: ${ack.error ?? "refused"}`;
    return { status: "failed", error: localError + answer };
  }
  if (!sent) return { status: "failed", error: `not sent: ${failure ?? "the transfer stopped"}` };
  if (ack === null) return { status: "failed", error: failure ?? "no answer from the receiver" };
  if (ack.ok) return { status: "verified" };
  return { status: ack.failed ? "failed" : "refused", error: ack.error ?? "refused" };
}

/** The counts every transfer summary has, `send`'s and `receive`'s. */
export interface TransferCounts {
  /** Files settled (given, for `send`; answered, for `receive`). */
  readonly total: number;
  /** Files refused. */
  readonly refused: number;
  /** Files that failed. */
  readonly failed: number;
  /** Bytes of file content verified (`send`) or saved (`receive`). */
  readonly bytes: number;
  /** Milliseconds the whole transfer took (`receive`: from listening to stopping). */
  readonly durationMs: number;
}

/**
 * `send`'s summary: where the files went (the receiver's address) and the counts, with the
 * rate over the whole transfer.
 */
export type SendSummary =
  & TransferAddress
  & TransferCounts
  & {
    readonly verified: number;
    /** `bytes` over `durationMs`, in bytes per second (0 for no time). */
    readonly bytesPerSecond: number;
  };

/**
 * The exit code of a transfer, `send` or `receive`: 1 when any file was refused (exists, unsafe
 * name, too large, size or sha256 mismatch), else 3 when any transfer failed (connection broken,
 * sender cut, the receiver could not write), else 0.
 */
export function transferExitCode(summary: { refused: number; failed: number }): ExitCode {
  if (summary.refused > 0) return ExitCode.Negative;
  if (summary.failed > 0) return ExitCode.Failure;
  return ExitCode.Ok;
}

/** The exit code of a `send`: 0 all verified, 1 any refused or mismatched, else 3. */
export const sendExitCode: (summary: SendSummary) => ExitCode = transferExitCode;

/** How one incoming file fared in `receive`. */
export type ReceiveStatus = "saved" | "refused" | "failed";

/** One file's result in `receive`. */
export interface ReceivedFile {
  /** The name from the header (as received, possibly hostile; shown quoted). */
  readonly name: string;
  /** The sender's address. */
  readonly peer: TransferAddress;
  /**
   * saved: verified and renamed into place; refused: answered no; failed: the connection broke
   * or the sender was cut, or the file could not be written.
   */
  readonly status: ReceiveStatus;
  /** Bytes received (for a refused file: the size its header announced, or 0). */
  readonly size: number;
  /** The SHA-256 its header (version 2: its trailer) announced, when one arrived. */
  readonly sha256?: string;
  /** Why it was refused or failed. */
  readonly error?: string;
  /** Milliseconds from its header to its answer (0 for a refusal at the header). */
  readonly durationMs: number;
  /** `size` over that time, in bytes per second (0 for no time and for a failure). */
  readonly bytesPerSecond: number;
}

/** `receive`'s summary when it stops: where it listened, into which directory, the counts. */
export type ReceiveSummary =
  & TransferAddress
  & TransferCounts
  & {
    /** The directory files were saved into (absolute). */
    readonly dir: string;
    /** Connections served (turned-away ones not counted). */
    readonly senders: number;
    readonly saved: number;
    /**
     * True when the receiver was stopped (SIGINT/SIGTERM in the CLI, `stop()` or the abort
     * signal in the library), false when it ended by itself after its one sender (`once`).
     */
    readonly stopped: boolean;
  };

/**
 * The exit code of a `receive`: 0 when it was stopped, whatever it saw (a server's normal end),
 * otherwise (after its one sender) 0 everything saved, 1 any refused, 3 any broken transfer.
 */
export function receiveExitCode(summary: ReceiveSummary): ExitCode {
  return summary.stopped ? ExitCode.Ok : transferExitCode(summary);
}

/**
 * `bytes` over `ms` milliseconds in whole bytes per second; 0 for no time.
 *
 * @example
 * ```ts
 * import { bytesPerSecond } from "./transfer.ts";
 * bytesPerSecond(10_000_000, 2000); // 5000000
 * ```
 */
export function bytesPerSecond(bytes: number, ms: number): number {
  return ms > 0 ? Math.round((bytes * 1000) / ms) : 0;
}

/** Milliseconds rounded to the microsecond, for results. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * The length-prefixed framing protocol, netdiag's fix for "sticky packets" on stream sockets.
 *
 * Wire format of one frame:
 *
 * ```
 * [4-byte unsigned big-endian header length N][N bytes: UTF-8 JSON object][body: header.size bytes]
 * ```
 *
 * The header is a JSON object with at least `size`, the body length in bytes (a non-negative
 * integer); any other keys are free for the application. Frames follow each other back to back.
 * The decoder accepts any split or coalescing of reads and streams bodies through in the pieces
 * they arrive in, so a body of any size passes in constant memory. Pure code: no I/O.
 */
import { concatBytes } from "./bytes.ts";
import { OperationalError, quote } from "./errors.ts";

/** Bounds a decoder enforces, in bytes. */
export interface FrameLimits {
  /** Largest JSON header accepted (the 4-byte length prefix itself not counted). */
  readonly maxHeaderBytes: number;
  /** Largest body (`size`) accepted. */
  readonly maxBodyBytes: number;
}

/** Default limits: 64 KiB headers, 16 MiB bodies. */
export const DEFAULT_FRAME_LIMITS: FrameLimits = Object.freeze({
  maxHeaderBytes: 64 * 1024,
  maxBodyBytes: 16 * 1024 * 1024,
});

/** Bytes in the header-length prefix. */
export const FRAME_PREFIX_BYTES = 4;

/** A decoded frame header: `size` is the body length; other keys belong to the application. */
export type FrameHeader = { size: number; [key: string]: unknown };

/**
 * What a decoder reports, in stream order. For each frame: one `header`, zero or more `body`
 * chunks (together exactly `header.size` bytes), then one `end` (also when `size` is 0).
 */
export type FrameEvent =
  | { type: "header"; header: FrameHeader }
  | { type: "body"; chunk: Uint8Array }
  | { type: "end" };

/** Why a frame was rejected. */
export type FrameErrorCode =
  | "header-too-large"
  | "body-too-large"
  | "bad-utf8"
  | "bad-json"
  | "not-object"
  | "bad-size"
  | "truncated";

/**
 * A protocol error: an oversized, malformed or truncated frame. Exit code 3 when it reaches the
 * user. The message names the problem and, for size errors, the limit.
 */
export class FrameError extends OperationalError {
  /** Stable reason code. */
  readonly code: FrameErrorCode;

  /** Creates a frame error with its reason code and message. */
  constructor(code: FrameErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FrameError";
    this.code = code;
  }
}

const encoder = new TextEncoder();

function checkBodyLength(bodyLength: number): void {
  if (!Number.isSafeInteger(bodyLength) || bodyLength < 0) {
    throw new RangeError(
      `frame body length must be a non-negative safe integer, got ${bodyLength}`,
    );
  }
}

/**
 * Encodes the start of a frame — the length prefix and the JSON header with `size` set to
 * `bodyLength` — so that exactly `bodyLength` body bytes can be streamed after it.
 */
export function encodeFrameHead(header: Record<string, unknown>, bodyLength: number): Uint8Array {
  checkBodyLength(bodyLength);
  const json = encoder.encode(JSON.stringify({ ...header, size: bodyLength }));
  if (json.length > 0xffffffff) throw new RangeError("frame header longer than 4 GiB");
  const out = new Uint8Array(FRAME_PREFIX_BYTES + json.length);
  new DataView(out.buffer).setUint32(0, json.length, false);
  out.set(json, FRAME_PREFIX_BYTES);
  return out;
}

/** Encodes one whole frame: prefix, JSON header (`size` = `body.length`) and body. */
export function encodeFrame(header: Record<string, unknown>, body: Uint8Array): Uint8Array {
  const head = encodeFrameHead(header, body.length);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Parses and validates a header's bytes (without the prefix). Throws {@link FrameError} for bad
 * UTF-8, bad JSON, a non-object, or a missing, non-integer, negative or oversized `size`.
 */
export function parseFrameHeader(bytes: Uint8Array, limits: FrameLimits): FrameHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new FrameError("bad-utf8", "bad frame header: not valid UTF-8", { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new FrameError("bad-json", `bad frame header: not JSON: ${quote(text.slice(0, 60))}`, {
      cause,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new FrameError("not-object", `bad frame header: ${kind}, expected a JSON object`);
  }
  const size = (value as Record<string, unknown>).size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw new FrameError(
      "bad-size",
      `bad frame header: "size" must be a non-negative integer, got ${
        size === undefined ? "none" : quote(JSON.stringify(size))
      }`,
    );
  }
  if (size > limits.maxBodyBytes) {
    throw new FrameError(
      "body-too-large",
      `frame body too large: ${size} bytes, limit ${limits.maxBodyBytes}`,
    );
  }
  return value as FrameHeader;
}

type State = "prefix" | "header" | "body";

/**
 * A streaming frame decoder. Push bytes as they arrive in any pieces; get back the events they
 * complete. Body chunks are emitted as they arrive, never buffered whole: a `body` chunk is a
 * view into the pushed buffer (copy it if that buffer is reused before the chunk is consumed).
 * Only the prefix and the header (bounded by `maxHeaderBytes`) are buffered.
 *
 * Any protocol error throws {@link FrameError}; the decoder then stays failed and throws the
 * same error on every later push.
 */
export class FrameDecoder {
  /** The limits in force. */
  readonly limits: FrameLimits;
  #state: State = "prefix";
  #pending: Uint8Array = new Uint8Array(FRAME_PREFIX_BYTES);
  #filled = 0;
  #bodyLeft = 0;
  #bodySize = 0;
  #failed: FrameError | undefined;

  /** Creates a decoder; missing limits take {@link DEFAULT_FRAME_LIMITS}. */
  constructor(limits: Partial<FrameLimits> = {}) {
    this.limits = { ...DEFAULT_FRAME_LIMITS, ...limits };
  }

  /** True when part of a frame has been received but not the whole frame. */
  get midFrame(): boolean {
    return this.#state !== "prefix" || this.#filled > 0;
  }

  /** Feeds bytes; returns the events they complete, in order. Throws {@link FrameError}. */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    this.pushInto(chunk, events);
    return events;
  }

  /**
   * Like {@link push}, but appends the events to `events`. When it throws, `events` still holds
   * everything decoded before the bad bytes (the frames a server should answer before it
   * reports the error).
   */
  pushInto(chunk: Uint8Array, events: FrameEvent[]): void {
    if (this.#failed) throw this.#failed;
    try {
      this.#consume(chunk, events);
    } catch (error) {
      if (error instanceof FrameError) this.#failed = error;
      throw error;
    }
  }

  /**
   * Declares the end of the stream. Throws a `truncated` {@link FrameError} when it ends inside
   * a frame, naming how far the frame got.
   */
  finish(): void {
    if (this.#failed) throw this.#failed;
    if (!this.midFrame) return;
    const where = this.#state === "prefix"
      ? `${this.#filled} of ${FRAME_PREFIX_BYTES} length-prefix bytes`
      : this.#state === "header"
      ? `${this.#filled} of ${this.#pending.length} header bytes`
      : `${this.#bodySize - this.#bodyLeft} of ${this.#bodySize} body bytes`;
    this.#failed = new FrameError("truncated", `stream ended inside a frame: after ${where}`);
    throw this.#failed;
  }

  #consume(chunk: Uint8Array, events: FrameEvent[]): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#state === "body") {
        const take = Math.min(this.#bodyLeft, chunk.length - offset);
        events.push({ type: "body", chunk: chunk.subarray(offset, offset + take) });
        offset += take;
        this.#bodyLeft -= take;
        if (this.#bodyLeft === 0) this.#endFrame(events);
        continue;
      }
      const take = Math.min(this.#pending.length - this.#filled, chunk.length - offset);
      this.#pending.set(chunk.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled < this.#pending.length) break;
      if (this.#state === "prefix") this.#prefixDone();
      else this.#headerDone(events);
    }
  }

  #prefixDone(): void {
    const length = new DataView(this.#pending.buffer).getUint32(0, false);
    if (length > this.limits.maxHeaderBytes) {
      throw new FrameError(
        "header-too-large",
        `frame header too large: ${length} bytes, limit ${this.limits.maxHeaderBytes}`,
      );
    }
    if (length === 0) {
      throw new FrameError(
        "bad-json",
        "bad frame header: empty (length 0), expected a JSON object",
      );
    }
    this.#state = "header";
    this.#pending = new Uint8Array(length);
    this.#filled = 0;
  }

  #headerDone(events: FrameEvent[]): void {
    const header = parseFrameHeader(this.#pending, this.limits);
    events.push({ type: "header", header });
    this.#bodySize = this.#bodyLeft = header.size;
    this.#state = "body";
    if (header.size === 0) this.#endFrame(events);
  }

  #endFrame(events: FrameEvent[]): void {
    events.push({ type: "end" });
    this.#state = "prefix";
    this.#pending = new Uint8Array(FRAME_PREFIX_BYTES);
    this.#filled = 0;
  }
}

/** One whole decoded frame. */
export interface Frame {
  readonly header: FrameHeader;
  readonly body: Uint8Array;
}

/**
 * Collects the events of a decoder into whole frames (bodies copied), for short messages and
 * tests. Call `push` with each chunk; it returns the frames completed by it.
 */
export class FrameCollector {
  readonly #decoder: FrameDecoder;
  #header: FrameHeader | undefined;
  #parts: Uint8Array[] = [];

  /** Creates a collector; missing limits take {@link DEFAULT_FRAME_LIMITS}. */
  constructor(limits: Partial<FrameLimits> = {}) {
    this.#decoder = new FrameDecoder(limits);
  }

  /** True when part of a frame has been received but not the whole frame. */
  get midFrame(): boolean {
    return this.#decoder.midFrame;
  }

  /** Feeds bytes; returns the frames they complete. Throws {@link FrameError}. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    for (const event of this.#decoder.push(chunk)) {
      if (event.type === "header") {
        this.#header = event.header;
        this.#parts = [];
      } else if (event.type === "body") {
        this.#parts.push(event.chunk.slice());
      } else {
        frames.push({ header: this.#header!, body: concatBytes(this.#parts) });
        this.#header = undefined;
        this.#parts = [];
      }
    }
    return frames;
  }

  /** Declares the end of the stream; throws a `truncated` {@link FrameError} mid-frame. */
  finish(): void {
    this.#decoder.finish();
  }
}

/**
 * Decodes a complete byte string into frames. Throws {@link FrameError} for a malformed or
 * oversized frame, or when the bytes end inside a frame.
 */
export function decodeFrames(bytes: Uint8Array, limits: Partial<FrameLimits> = {}): Frame[] {
  const collector = new FrameCollector(limits);
  const frames = collector.push(bytes);
  collector.finish();
  return frames;
}

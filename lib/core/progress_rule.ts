/**
 * The minimum-progress rule of `receive`: how long a sender may take to deliver a file header,
 * how slow it may be, and how long it may stay silent, before it is cut. Time is counted on the
 * sender's clock: only while the receiver waits for the sender (a read, or the write of an
 * answer the sender does not take), never while the receiver itself writes, flushes or syncs a
 * file. Pure: the caller reads the clock and passes it in.
 * @module
 */
import { formatDurationSetting } from "./duration_setting.ts";

/** The bounds a sender must keep. */
export interface ProgressLimits {
  /** A complete file header must arrive within this long of connecting or of the last file. */
  readonly headerMs: number;
  /** The least average rate, in bytes per second over {@link windowMs}; 0: no minimum. */
  readonly minBytesPerSecond: number;
  /** The span the rate is averaged over. */
  readonly windowMs: number;
  /** The longest time without a single byte. */
  readonly idleMs: number;
}

/** The defaults: a header within 10 s, at least 1 KiB/s over 10 s, silent for at most 30 s. */
export const DEFAULT_PROGRESS_LIMITS: ProgressLimits = Object.freeze({
  headerMs: 10_000,
  minBytesPerSecond: 1024,
  windowMs: 10_000,
  idleMs: 30_000,
});

/** Why a sender is cut. */
export type Stall =
  /** No complete header within `headerMs`, counted from connecting or from the last file. */
  | { readonly kind: "header"; readonly afterFile: boolean; readonly limitMs: number }
  /** No byte at all for `limitMs`. */
  | { readonly kind: "idle"; readonly limitMs: number }
  /** `bytesPerSecond` on average over the last `windowMs`, below `minBytesPerSecond`. */
  | {
    readonly kind: "slow";
    readonly bytesPerSecond: number;
    readonly minBytesPerSecond: number;
    readonly windowMs: number;
  };

/** Buckets of the rate window: the rate is known to within a tenth of the window. */
const BUCKETS = 10;

/**
 * One connection's progress, fed with the waits for its sender and the bytes each wait brought,
 * and asked with {@link check} whether the sender is still acceptable. The rate is kept in a
 * ring of {@link BUCKETS} byte counters over the window: constant memory, no allocation per read.
 */
export class ProgressRule {
  readonly #limits: ProgressLimits;
  readonly #bucketMs: number;
  readonly #buckets = new Float64Array(BUCKETS);
  /** The absolute number of the bucket the sender's clock is in. */
  #bucket = 0;
  /** Milliseconds of sender time in the waits that ended. */
  #clock = 0;
  /** When the current wait began (the caller's clock), or -1 when not waiting. */
  #waitingSince = -1;
  /** Sender time of the last byte. */
  #lastByteAt = 0;
  /** Sender time since which a header is due, or -1 inside a frame. */
  #headerDueSince = 0;
  #afterFile = false;

  /** Creates the rule for a connection that has just been accepted. */
  constructor(limits: ProgressLimits) {
    this.#limits = limits;
    this.#bucketMs = limits.windowMs / BUCKETS;
  }

  /** Sender time so far, in milliseconds (the current wait up to `now` included). */
  clock(now: number): number {
    return this.#waitingSince < 0 ? this.#clock : this.#clock + (now - this.#waitingSince);
  }

  /** The receiver starts waiting for the sender at `now` (a read, or an answer's write). */
  waitStart(now: number): void {
    this.#waitingSince = now;
  }

  /** The wait begun with {@link waitStart} ended at `now`, bringing `bytes` bytes. */
  waitEnd(now: number, bytes: number): void {
    if (this.#waitingSince < 0) return;
    this.#clock += Math.max(0, now - this.#waitingSince);
    this.#waitingSince = -1;
    this.#advance(this.#clock);
    if (bytes > 0) {
      this.#buckets[this.#bucket % BUCKETS] += bytes;
      this.#lastByteAt = this.#clock;
    }
  }

  /** A complete file header arrived: no header is due until its frame ends. */
  headerReceived(): void {
    this.#headerDueSince = -1;
  }

  /** A file's frame ended: the next header is due within the limit from now on. */
  frameEnded(): void {
    this.#headerDueSince = this.#clock;
    this.#afterFile = true;
  }

  /**
   * Why the sender must be cut at `now`, or undefined while it keeps within the limits. Only a
   * wait for the sender is judged: while the receiver does its own work, nothing is.
   */
  check(now: number): Stall | undefined {
    if (this.#waitingSince < 0) return undefined;
    const clock = this.clock(now);
    const { headerMs, idleMs, minBytesPerSecond, windowMs } = this.#limits;
    if (this.#headerDueSince >= 0 && clock - this.#headerDueSince >= headerMs) {
      return { kind: "header", afterFile: this.#afterFile, limitMs: headerMs };
    }
    if (clock - this.#lastByteAt >= idleMs) return { kind: "idle", limitMs: idleMs };
    if (minBytesPerSecond <= 0 || clock < windowMs) return undefined;
    this.#advance(clock);
    const span = (BUCKETS - 1) * this.#bucketMs + (clock - this.#bucket * this.#bucketMs);
    let bytes = 0;
    for (let i = 0; i < BUCKETS; i++) bytes += this.#buckets[i];
    const bytesPerSecond = (bytes * 1000) / span;
    if (bytesPerSecond >= minBytesPerSecond) return undefined;
    return { kind: "slow", bytesPerSecond, minBytesPerSecond, windowMs };
  }

  /** Moves the ring to the bucket of sender time `clock`, emptying the buckets it passes. */
  #advance(clock: number): void {
    const target = Math.floor(clock / this.#bucketMs);
    const steps = Math.min(target - this.#bucket, BUCKETS);
    for (let i = 1; i <= steps; i++) this.#buckets[(this.#bucket + i) % BUCKETS] = 0;
    if (target > this.#bucket) this.#bucket = target;
  }
}

/**
 * How often to call {@link ProgressRule.check}: a tenth of the shortest limit, between 10 ms and
 * half a second, so that a cut comes at most that late.
 */
export function progressCheckEveryMs(limits: ProgressLimits): number {
  const rateMs = limits.minBytesPerSecond > 0 ? limits.windowMs : Infinity;
  const shortest = Math.min(limits.headerMs, limits.idleMs, rateMs);
  return Math.min(500, Math.max(10, Math.floor(shortest / 10)));
}

/**
 * Why a sender was cut, as its answer and the report say it: `too slow: no complete file header
 * within 10s of connecting`, `idle for 30s`, `too slow: 312 B/s over the last 10s, at least
 * 1024 B/s needed`.
 *
 * @example
 * ```ts
 * import { describeStall } from "./progress_rule.ts";
 * describeStall({ kind: "idle", limitMs: 30_000 }); // "idle for 30s"
 * ```
 */
export function describeStall(stall: Stall): string {
  switch (stall.kind) {
    case "header":
      return `too slow: no complete file header within ${formatDurationSetting(stall.limitMs)} ` +
        `of ${stall.afterFile ? "the previous file" : "connecting"}`;
    case "idle":
      return `idle for ${formatDurationSetting(stall.limitMs)}`;
    case "slow":
      return `too slow: ${Math.floor(stall.bytesPerSecond)} B/s over the last ` +
        `${formatDurationSetting(stall.windowMs)}, at least ${stall.minBytesPerSecond} B/s needed`;
  }
}

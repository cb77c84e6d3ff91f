/**
 * The echo server's minimum-progress rules: a frame in progress must keep advancing, and when
 * every slot is taken the connection that made the least progress over the last window (below
 * a minimum) gives its slot to a new client. Bookkeeping is a few additions per read; the
 * server's sweep timer rolls the windows and applies the rules.
 * @module
 */
import { SERVE_BOUNDS } from "../core/echo_serve.ts";

/** The limits of the rules; defaults in {@link SERVE_BOUNDS}. */
export interface ProgressRules {
  readonly frameProgressBytes: number;
  readonly frameStallMs: number;
  readonly minProgressBytes: number;
  readonly progressWindowMs: number;
}

/** The default rules. */
export const DEFAULT_PROGRESS_RULES: ProgressRules = {
  frameProgressBytes: SERVE_BOUNDS.frameProgressBytes,
  frameStallMs: SERVE_BOUNDS.frameStallMs,
  minProgressBytes: SERVE_BOUNDS.minProgressBytes,
  progressWindowMs: SERVE_BOUNDS.progressWindowMs,
};

/** One connection's progress. */
export class Progress {
  readonly opened: number;
  /** Bytes read in the current window (the server adds to it on every read). */
  windowBytes = 0;
  /** Bytes read in the window before. */
  lastWindowBytes = 0;
  #windowStart: number;
  /** While a frame is in progress: when it last gained enough (or began); -1 between frames. */
  #frameSince = -1;
  #frameGain = 0;

  /** Progress of a connection opened at `now` (a `performance.now()` time). */
  constructor(now: number) {
    this.opened = this.#windowStart = now;
  }

  /**
   * Notes a read of `n` bytes in framed mode: `midFrame` whether a frame is unfinished after it,
   * `frameEnded` whether a frame ended within it.
   */
  framedRead(n: number, midFrame: boolean, frameEnded: boolean, now: number, rules: ProgressRules) {
    if (!midFrame) {
      this.#frameSince = -1;
    } else if (this.#frameSince < 0 || frameEnded) {
      this.#frameSince = now;
      this.#frameGain = 0;
    } else if ((this.#frameGain += n) >= rules.frameProgressBytes) {
      this.#frameSince = now;
      this.#frameGain = 0;
    }
  }

  /** Whether a frame in progress has not advanced enough for longer than the rules allow. */
  stalled(now: number, rules: ProgressRules): boolean {
    return this.#frameSince >= 0 && now - this.#frameSince >= rules.frameStallMs;
  }

  /** Starts a new window when the current one is over (called by the server's sweep). */
  roll(now: number, rules: ProgressRules): void {
    if (now - this.#windowStart < rules.progressWindowMs) return;
    this.lastWindowBytes = this.windowBytes;
    this.windowBytes = 0;
    this.#windowStart = now;
  }

  /**
   * The bytes read over the last window when they are below the minimum and the connection has
   * been open a full window (it may be evicted); undefined otherwise.
   */
  shortfall(now: number, rules: ProgressRules): number | undefined {
    if (now - this.opened < rules.progressWindowMs) return undefined;
    const recent = Math.max(this.lastWindowBytes, this.windowBytes);
    return recent < rules.minProgressBytes ? recent : undefined;
  }
}

/**
 * The session to evict for a new client: among those with a {@link Progress.shortfall}, the one
 * that read least, then the one silent longest; undefined when none falls short.
 */
export function pickEvictable<T extends { progress: Progress; lastActivity: number }>(
  sessions: Iterable<T>,
  now: number,
  rules: ProgressRules,
): T | undefined {
  let best: T | undefined;
  let bestBytes = Infinity;
  for (const s of sessions) {
    const bytes = s.progress.shortfall(now, rules);
    if (bytes === undefined) continue;
    if (bytes < bestBytes || (bytes === bestBytes && s.lastActivity < best!.lastActivity)) {
      best = s;
      bestBytes = bytes;
    }
  }
  return best;
}

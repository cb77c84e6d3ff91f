/**
 * One timer for many deadlines: probe attempts register when they start and leave when they
 * settle, and a single timer, armed for the earliest deadline, expires whatever is due. A
 * full-range scan starts tens of thousands of attempts that almost all settle long before their
 * deadline; a timer each would cost two timer operations per attempt for nothing.
 * @module
 */

/** Something with a deadline: `expire()` runs once `deadline` (a `performance.now()` time) passes. */
export interface Expiring {
  readonly deadline: number;
  expire(): void;
}

/**
 * How late the timer may fire after the earliest deadline, so that deadlines a few milliseconds
 * apart expire in one sweep. A timeout is therefore reported up to this much late.
 */
const SLACK_MS = 4;

/**
 * A set of pending deadlines behind one timer. The timer runs only while something is pending,
 * so an idle sweep never keeps the process alive.
 */
export class DeadlineSweep {
  #pending = new Set<Expiring>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires (`performance.now()` time), Infinity when none is armed. */
  #firesAt = Infinity;

  /** How many deadlines are pending. */
  get size(): number {
    return this.#pending.size;
  }

  /** Registers `entry`; its `expire()` runs once its deadline has passed, unless removed first. */
  add(entry: Expiring): void {
    this.#pending.add(entry);
    if (entry.deadline + SLACK_MS < this.#firesAt) this.#arm(entry.deadline);
  }

  /** Removes `entry` (settled before its deadline); stops the timer when nothing is pending. */
  delete(entry: Expiring): void {
    this.#pending.delete(entry);
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#firesAt = Infinity;
    }
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const delay = Math.max(0, deadline - performance.now()) + SLACK_MS;
    this.#firesAt = performance.now() + delay;
    this.#timer = setTimeout(() => this.#sweep(), delay);
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#firesAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const entry of this.#pending) {
      if (entry.deadline <= now) {
        this.#pending.delete(entry);
        entry.expire();
      } else if (entry.deadline < next) {
        next = entry.deadline;
      }
    }
    if (next !== Infinity && this.#pending.size > 0) this.#arm(next);
  }
}

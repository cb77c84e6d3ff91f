/**
 * The one formatter per unit that people see: byte counts, durations and rates. Every view
 * formats through these, so a size or a time reads the same in every command.
 * @module
 */

const BYTE_UNITS = ["kB", "MB", "GB", "TB", "PB"];

/**
 * A byte count in powers of 1000 with three significant digits: `512 B`, `1.50 kB`,
 * `10.0 MB`, `107 MB`, `1.07 GB`.
 *
 * @example
 * ```ts
 * import { formatBytes } from "./units.ts";
 * formatBytes(1_500); // "1.50 kB"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  if (Math.abs(bytes) < 1000) return `${Math.round(bytes)} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (Math.abs(value) >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${threeDigits(value)} ${BYTE_UNITS[unit]}`;
}

/**
 * A rate in bytes per second, as {@link formatBytes} with `/s`: `326 MB/s`.
 *
 * @example
 * ```ts
 * import { formatRate } from "./units.ts";
 * formatRate(326_100_000); // "326 MB/s"
 * ```
 */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * A measured duration: `0.42 ms`, `12.3 ms`, `850 ms`, `1.52 s`, `12.3 s`, `2 min 5 s`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./units.ts";
 * formatDuration(1520); // "1.52 s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms} ms`;
  if (ms < 1000) return `${ms < 100 ? threeDigits(ms) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${threeDigits(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** A duration setting as a user would type it back: `150ms`, `2s`, `1.5s`, `5m`. */
export { formatDurationSetting } from "../core/duration_setting.ts";

function threeDigits(value: number): string {
  const abs = Math.abs(value);
  return fixed(value, abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

/** `value.toFixed(digits)` (0 to 2 digits) in integer arithmetic, which is cheaper per call. */
function fixed(value: number, digits: number): string {
  if (!(value >= 0 && value < 1e15)) return value.toFixed(digits);
  const scale = digits === 2 ? 100 : digits === 1 ? 10 : 1;
  const scaled = value * scale;
  // Near a half, the product's rounding may differ from toFixed's exact decimal: ask it.
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6) return value.toFixed(digits);
  const n = Math.round(scaled);
  if (digits === 0) return String(n);
  const whole = Math.floor(n / scale);
  const fraction = n - whole * scale;
  return `${whole}.${digits === 2 && fraction < 10 ? "0" : ""}${fraction}`;
}

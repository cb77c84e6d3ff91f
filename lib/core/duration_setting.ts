/**
 * A duration setting written back as a user would type it: the one formatter of limits and
 * timeouts in messages (`timed out after 2s`, `idle for 30s`), below the output layer so that
 * engines' messages and the CLI's views say them alike.
 * @module
 */

/**
 * A duration in milliseconds as a user would type it back: `150ms`, `2s`, `1.5s`, `5m`.
 *
 * @example
 * ```ts
 * import { formatDurationSetting } from "./duration_setting.ts";
 * formatDurationSetting(30_000); // "30s"
 * ```
 */
export function formatDurationSetting(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1 === 0) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${Number(ms.toFixed(3))}ms`;
}

/**
 * Removes temporary files when the test process ends. Deno's node:test runs `after()` hooks only
 * when a test of the file ran (not when all were skipped or filtered out), so the release tests
 * clean up on the `unload` event instead, which always fires.
 * @module
 */
import { rmSync } from "node:fs";

/** Removes `path` (recursively) when the process ends; returns it. */
export function removeAtExit(path: string): string {
  globalThis.addEventListener("unload", () => rmSync(path, { recursive: true, force: true }));
  return path;
}

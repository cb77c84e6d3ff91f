/**
 * `receive`'s leftovers: temporary files a receiver killed without a chance to clean up (SIGKILL,
 * a crash, a power cut) left in its directory. A receiver removes them when it starts.
 * @module
 */
import { lstat, opendir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { describeFsError } from "../core/fs_error.ts";
import { isTempFileName } from "../core/file_name.ts";

/** What {@link reapTempFiles} did. */
export interface Reaped {
  /** Temporary files removed. */
  readonly removed: number;
  /** Those that could not be removed, with why. */
  readonly failures: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Removes the temporary files of `receive` from `dir`: entries directly in `dir` (no
 * recursion) whose name is exactly `.netdiag-` + 16 lowercase hex digits + `.part`, and that are
 * regular files as `lstat` sees them (a symbolic link, a directory or anything else of that name
 * is left alone; `unlink` never follows a link either). Entries are read as a stream, so a huge
 * directory costs no memory.
 */
export async function reapTempFiles(dir: string): Promise<Reaped> {
  let removed = 0;
  const failures: { name: string; reason: string }[] = [];
  for await (const entry of await opendir(dir)) {
    if (!isTempFileName(entry.name)) continue;
    const path = join(dir, entry.name);
    try {
      const info = await lstat(path);
      if (!info.isFile()) continue;
      await unlink(path);
      removed++;
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") continue;
      failures.push({ name: entry.name, reason: describeFsError(error) });
    }
  }
  return { removed, failures };
}

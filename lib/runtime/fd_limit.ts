import { parseOpenFileLimit } from "../core/fd_limit.ts";
import { nodeFsSync } from "./node_fs_sync.ts";
import { runtimeName } from "./runtime.ts";

/** What to assume when the limit cannot be read: the common default soft limit. */
export const FALLBACK_FD_LIMIT = 1024;

/**
 * The process's soft open-file limit (`ulimit -n`). Read cheaply from /proc/self/limits on
 * Linux; Deno refuses that file without --allow-all, so there a child `sh -c "ulimit -n"`
 * (which inherits the limit) answers instead, in a few milliseconds. Falls back to
 * {@link FALLBACK_FD_LIMIT}.
 */
export async function openFileLimit(): Promise<number> {
  try {
    const limit = parseOpenFileLimit(nodeFsSync().readFileSync("/proc/self/limits", "utf8"));
    if (limit !== undefined) return limit;
  } catch { /* not Linux, or Deno's permission: ask a shell */ }
  if (runtimeName !== "deno") return FALLBACK_FD_LIMIT;
  try {
    const out = await new Deno.Command("sh", {
      args: ["-c", "ulimit -n"],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (text === "unlimited") return Number.POSITIVE_INFINITY;
    if (out.success && /^[0-9]+$/.test(text)) return Number(text);
  } catch { /* no shell or not allowed to run one */ }
  return FALLBACK_FD_LIMIT;
}

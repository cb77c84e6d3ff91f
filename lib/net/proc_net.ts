/**
 * Reading Linux's socket tables (`/proc/net/unix`, `/proc/net/udp`, `/proc/net/udp6`). Deno
 * refuses its own reads under /proc without --allow-all, which netdiag never asks for; it may
 * run programs (--allow-run), so there the table is read by `/bin/cat`. Used on failure paths
 * and for a server's totals only, never per packet.
 * @module
 */
import { nodeFsSync } from "../runtime/node_fs_sync.ts";

/** A table of `/proc/net`; undefined where it cannot be read (not Linux, no permission). */
export function readProcNet(name: "unix" | "udp" | "udp6"): string | undefined {
  const path = `/proc/net/${name}`;
  try {
    return nodeFsSync().readFileSync(path, "utf8");
  } catch (error) {
    if ((error as { name?: string })?.name !== "NotCapable" || !("Deno" in globalThis)) {
      return undefined;
    }
  }
  try {
    const out = new Deno.Command("/bin/cat", {
      args: [path],
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

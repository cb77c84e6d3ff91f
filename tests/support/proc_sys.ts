/**
 * Reads a kernel setting under /proc/sys for tests. Deno's allow-list (`--allow-read`) does not
 * cover /proc without `--allow-all`, so the value is read through `cat` (`--allow-run`).
 */
import { execFileSync } from "node:child_process";

/** The number in `/proc/sys/<path>`, e.g. `net/core/rmem_default`. */
export function procSysNumber(path: string): number {
  return Number(execFileSync("cat", [`/proc/sys/${path}`], { encoding: "utf8" }).trim());
}

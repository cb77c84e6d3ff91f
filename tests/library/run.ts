/**
 * Runs programs for the library tests: Deno and Bun (the pinned toolchain's, or the ones on
 * PATH), npm, each with a time limit, collecting their output.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { collect, ROOT, type RunResult } from "../support/cli.ts";
import { join } from "../support/paths.ts";

/** The Deno running the tests (or `deno` on PATH under Bun). */
export function denoPath(): string {
  return "Deno" in globalThis ? Deno.execPath() : "deno";
}

/** The pinned Bun of .toolchain/ when installed, else `bun` on PATH. */
export function bunPath(): string {
  const pinned = join(ROOT, ".toolchain", "node_modules", ".bin", "bun");
  return existsSync(pinned) ? pinned : "bun";
}

/** Options of {@link run}. */
export interface RunOptions {
  /** The working directory; default the repository root. */
  readonly cwd?: string;
  /** Kill the program after this many milliseconds; default 60 000. */
  readonly timeoutMs?: number;
}

/** Runs `cmd args…` to its end (stdin closed) and returns its exit code and output. */
export function run(
  cmd: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const env = { ...process.env, NO_COLOR: "1" } as Record<string, string>;
  delete env.FORCE_COLOR;
  const child = spawn(cmd, [...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  return collect(child, { timeoutMs: options.timeoutMs ?? 60_000 });
}

/** The JSON lines a program printed, parsed (other lines are skipped). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

/**
 * Unpacks a release archive's executable into a temporary directory and runs it, natively or
 * under an emulator (qemu user mode for linux-arm64, wine for windows-x64), for the release tests.
 * @module
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { collect, type RunResult } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { readArchive } from "./archive_reader.ts";
import { removeAtExit } from "./cleanup.ts";
import type { ReleaseArchive } from "./release_dir.ts";

/** Writes the archive's executable into a new temporary directory (removed at exit); its path. */
export function unpackExecutable(archive: ReleaseArchive): string {
  const entry = readArchive(archive.path).find((e) => e.name === archive.executable);
  if (!entry) throw new Error(`${archive.file} holds no ${archive.executable}`);
  const dir = removeAtExit(mkdtempSync(join(tmpdir(), `netdiag-${archive.target}-`)));
  const path = join(dir, archive.executable.split("/").pop()!);
  writeFileSync(path, entry.data);
  chmodSync(path, 0o755);
  return path;
}

/** Runs `command` with `args` (stdin closed, NO_COLOR set) and collects what it printed. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  // deno-lint-ignore no-process-global
  const env = { ...globalThis.process.env, NO_COLOR: "1", ...options.env };
  const child = spawn(command, [...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  return collect(child, { timeoutMs: options.timeoutMs ?? 60_000 });
}

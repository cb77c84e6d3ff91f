/**
 * Runs a local program with the terminal's stdin, stdout and stderr (for `probe … -- cmd`), the
 * way a shell's `exec` would, and reports its exit status. Deno runs it with Deno.Command (its
 * node:child_process would need access to every environment variable to pass them on); Bun
 * with node:child_process.
 * @module
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { runtimeName } from "./runtime.ts";

/** How a program ended: its status, shell-style (128 + n after signal n, 127 not found). */
export interface ProgramExit {
  /** 0-255: the exit code, 128 + the signal number, 127 when it could not be found. */
  readonly status: number;
  /** Why it could not start (`command not found`, `permission denied`), or null. */
  readonly failure: string | null;
}

/** Runs `argv[0]` with `argv.slice(1)` (PATH lookup, no shell) and waits for it to end. */
export function runProgram(argv: readonly string[]): Promise<ProgramExit> {
  return runtimeName === "deno" ? runWithDeno(argv) : runWithNode(argv);
}

async function runWithDeno(argv: readonly string[]): Promise<ProgramExit> {
  try {
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    const status = await child.status;
    if (status.signal !== null) {
      return { status: 128 + (signalNumber(status.signal) ?? 0), failure: null };
    }
    return { status: status.code, failure: null };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { status: 127, failure: "command not found" };
    if (error instanceof Deno.errors.PermissionDenied) {
      return { status: 126, failure: "permission denied" };
    }
    return { status: 126, failure: (error as Error).message ?? String(error) };
  }
}

function runWithNode(argv: readonly string[]): Promise<ProgramExit> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(argv[0], argv.slice(1), { stdio: "inherit" });
    } catch (error) {
      resolve(startFailure(error));
      return;
    }
    child.once("error", (error) => resolve(startFailure(error)));
    child.once("exit", (code, signal) => {
      if (code !== null) resolve({ status: code, failure: null });
      else resolve({ status: 128 + (signalNumber(signal) ?? 0), failure: null });
    });
  });
}

function signalNumber(signal: string | null): number | undefined {
  return signal ? (constants.signals as Record<string, number>)[signal] : undefined;
}

function startFailure(error: unknown): ProgramExit {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return { status: 127, failure: "command not found" };
  if (code === "EACCES") return { status: 126, failure: "permission denied" };
  return { status: 126, failure: (error as Error).message ?? String(error) };
}

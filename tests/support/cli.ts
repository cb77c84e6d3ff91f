/**
 * Runs netdiag as a user would, for end-to-end tests: from source under Deno (with the permission
 * allow-list of deno.json's "netdiag" task) or as the compiled binary dist/netdiag.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, fromFileUrl, join } from "./paths.ts";
import { concatBytes } from "../../lib/core/bytes.ts";

/** How netdiag is started: `deno run main.ts` or the compiled binary. */
export type Target = "deno" | "binary";

/** The repository root. */
export const ROOT: string = dirname(dirname(dirname(fromFileUrl(import.meta.url))));

/** The compiled binary's path. */
export const BINARY: string = join(ROOT, "dist", "netdiag");

/**
 * The targets to test: `NETDIAG_TEST_TARGETS` (comma-separated) or, by default, `deno` plus
 * `binary` when dist/netdiag exists. scripts/test builds the binary first and sets the variable,
 * so a missing binary fails there instead of being skipped.
 */
export function targets(): Target[] {
  // deno-lint-ignore no-process-global
  const list = globalThis.process?.env?.NETDIAG_TEST_TARGETS;
  if (list) return list.split(",").map((t) => t.trim()) as Target[];
  return existsSync(BINARY) ? ["deno", "binary"] : ["deno"];
}

function denoFlags(): string[] {
  const config = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  return (config.tasks.netdiag as string).split(/\s+/).filter((w) => w.startsWith("-"));
}

/** The command line that starts netdiag as `target` with `args`. */
export function commandLine(target: Target, args: readonly string[]): [string, string[]] {
  if (target === "binary") return [BINARY, [...args]];
  const deno = "Deno" in globalThis ? Deno.execPath() : "deno";
  return [deno, [
    "run",
    "--config",
    join(ROOT, "deno.json"),
    ...denoFlags(),
    join(ROOT, "main.ts"),
    ...args,
  ]];
}

/** Options of {@link runNetdiag}. */
export interface RunOptions {
  /** Bytes or text written to stdin, which is then closed; default: stdin closed at once. */
  readonly stdin?: string | Uint8Array;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Kill the process after this many milliseconds; default 30 000. */
  readonly timeoutMs?: number;
}

/** What a finished run printed and how it exited. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Uint8Array;
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  // deno-lint-ignore no-process-global
  const base = { ...globalThis.process.env } as Record<string, string>;
  delete base.FORCE_COLOR;
  delete base.NETDIAG_DEBUG;
  return { ...base, NO_COLOR: "1", ...extra };
}

/** Starts netdiag without waiting for it (for servers); stdin, stdout and stderr are pipes. */
export function spawnNetdiag(
  target: Target,
  args: readonly string[],
  env?: Record<string, string>,
): ChildProcess {
  const [cmd, argv] = commandLine(target, args);
  // Under Deno, node:child_process adds the parent's environment to `env`, so variables that
  // must not reach netdiag are removed by `env -u` as well.
  const unset = ["-u", "FORCE_COLOR", "-u", "NETDIAG_DEBUG"];
  return spawn("env", [...unset, cmd, ...argv], {
    env: childEnv(env),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs netdiag to completion and returns its exit code and output. */
export function runNetdiag(
  target: Target,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const child = spawnNetdiag(target, args, options.env);
  return collect(child, options);
}

/** Waits for a child to exit, feeding it stdin and collecting its output, with a time limit. */
export function collect(child: ChildProcess, options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    child.stdout!.on("data", (c: Uint8Array) => out.push(c));
    child.stderr!.on("data", (c: Uint8Array) => err.push(c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = concatBytes(out);
      const decoder = new TextDecoder();
      resolve({
        code,
        signal,
        stdout: decoder.decode(stdoutBytes),
        stderr: decoder.decode(concatBytes(err)),
        stdoutBytes,
      });
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    else child.stdin!.end();
  });
}

/** Reads lines from a child's stdout or stderr until `match` returns a value, or times out. */
export function waitForLine<T>(
  stream: NodeJS.ReadableStream,
  match: (line: string) => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => {
      stream.off("data", onData);
      reject(new Error(`no matching line within ${timeoutMs} ms; saw: ${buffered.slice(-500)}`));
    }, timeoutMs);
    const onData = (chunk: Uint8Array | string) => {
      buffered += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      for (const line of buffered.split("\n")) {
        const value = match(line);
        if (value !== undefined) {
          clearTimeout(timer);
          stream.off("data", onData);
          resolve(value);
          return;
        }
      }
    };
    stream.on("data", onData);
  });
}

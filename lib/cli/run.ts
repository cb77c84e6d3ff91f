import { run } from "@stricli/core";
import type { ExitCode } from "../core/exit_code.ts";
import type { Io } from "../runtime/io.ts";
import { app } from "./app.ts";
import { createContext } from "./context.ts";
import { normaliseExitCode } from "./exit.ts";

/**
 * netcat's and dig's digit flags, which Stricli cannot declare (its short aliases are letters):
 * rewritten to their long names before parsing.
 */
const DIGIT_FLAGS: Readonly<Record<string, string>> = { "-4": "--ipv4", "-6": "--ipv6" };

/**
 * Runs netdiag with `args` against `io` and returns the exit code. `--debug` anywhere in the
 * arguments (or `NETDIAG_DEBUG=1`) makes unexpected errors show their stack trace. `-4` and
 * `-6` (before any `--`) mean `--ipv4` and `--ipv6`.
 */
export async function runCli(args: readonly string[], io: Io): Promise<ExitCode> {
  const escape = args.indexOf("--");
  const head = escape < 0 ? args : args.slice(0, escape);
  const debug = head.includes("--debug") || io.env("NETDIAG_DEBUG") === "1";
  const rest = head.filter((a) => a !== "--debug").map((a) => DIGIT_FLAGS[a] ?? a)
    .concat(escape < 0 ? [] : args.slice(escape));
  (globalThis as { __netdiagDebug?: boolean }).__netdiagDebug = debug;
  const context = createContext(io, debug, escape < 0 ? [] : args.slice(escape + 1));
  await run(app, rest, context);
  // After `probe … -- cmd` the program's own status (0-255) passes through unchanged.
  return (context.childExitStatus as ExitCode | undefined) ??
    normaliseExitCode(context.process.exitCode);
}

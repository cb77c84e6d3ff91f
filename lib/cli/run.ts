import { run } from "@stricli/core";
import { ExitCode } from "../core/exit_code.ts";
import type { Io } from "../runtime/io.ts";
import { app, root } from "./app.ts";
import { unknownFlagMessage } from "./argument_errors.ts";
import { closestNames } from "./closest_names.ts";
import { createContext } from "./context.ts";
import { normaliseExitCode } from "./exit.ts";
import { findInheritedName } from "./name_guard.ts";
import { errorLine, unknownCommandLine } from "./text.ts";

/**
 * netcat's and dig's digit flags, which Stricli cannot declare (its short aliases are letters):
 * rewritten to their long names before parsing.
 */
const DIGIT_FLAGS: ReadonlyMap<string, string> = new Map([["-4", "--ipv4"], ["-6", "--ipv6"]]);

/**
 * Runs netdiag with `args` against `io` and returns the exit code. `--debug` anywhere in the
 * arguments (or `NETDIAG_DEBUG=1`) makes unexpected errors show their stack trace. `-4` and
 * `-6` (before any `--`) mean `--ipv4` and `--ipv6`. A command or flag name that only an
 * inherited property would match (`constructor`, `--to-string`) is refused as unknown (exit 2)
 * before the framework sees it; anything the framework itself throws is one line, exit 3.
 */
export async function runCli(args: readonly string[], io: Io): Promise<ExitCode> {
  const escape = args.indexOf("--");
  const head = escape < 0 ? args : args.slice(0, escape);
  const debug = head.includes("--debug") || io.env("NETDIAG_DEBUG") === "1";
  const rest = head.filter((a) => a !== "--debug").map((a) => DIGIT_FLAGS.get(a) ?? a)
    .concat(escape < 0 ? [] : args.slice(escape));
  (globalThis as { __netdiagDebug?: boolean }).__netdiagDebug = debug;
  const refused = findInheritedName(root, rest, closestNames);
  if (refused) {
    io.write(
      "stderr",
      (refused.kind === "command"
        ? unknownCommandLine(refused.input, refused.corrections)
        : `netdiag: ${unknownFlagMessage(refused.input.replace(/=.*/s, ""))}`) + "\n",
    );
    return ExitCode.Usage;
  }
  const context = createContext(io, debug, escape < 0 ? [] : args.slice(escape + 1));
  try {
    await run(app, rest, context);
  } catch (error) {
    // Stricli reports what a command throws; this is only for a failure inside the framework.
    const stack = debug && error instanceof Error && error.stack ? `${error.stack}\n` : "";
    io.write("stderr", `${errorLine(error)}\n${stack}`);
    return ExitCode.Failure;
  }
  // After `probe … -- cmd` the program's own status (0-255) passes through unchanged.
  return (context.childExitStatus as ExitCode | undefined) ??
    normaliseExitCode(context.process.exitCode);
}

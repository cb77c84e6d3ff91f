import { run } from "@stricli/core";
import { ExitCode } from "../core/exit_code.ts";
import type { Io } from "../runtime/io.ts";
import { app, root, ROUTE_ALIASES } from "./app.ts";
import { unknownFlagMessage } from "./argument_errors.ts";
import { closestNames, commandSuggestions } from "./closest_names.ts";
import { formatHelp } from "./help.ts";
import { helpWidth } from "./help_layout.ts";
import { helpRequest, walkNames } from "./help_request.ts";
import { createContext } from "./context.ts";
import { normaliseExitCode } from "./exit.ts";
import { findInheritedName } from "./name_guard.ts";
import { errorLine, PARSE_ERROR_MARK, unknownCommandLine } from "./text.ts";

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
 * before the framework sees it; so is any other unknown command (with suggestions from the
 * synonym table, lib/cli/closest_names.ts). Help (`--help`, `-h`, a route map alone) is
 * rendered by lib/cli/help.ts. Anything the framework itself throws is one line, exit 3.
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
  const early = answerEarly(rest, io);
  if (early !== undefined) return early;
  const parseErrors: string[] = [];
  const context = createContext(
    withParseErrorsHeld(io, parseErrors),
    debug,
    escape < 0 ? [] : args.slice(escape + 1),
  );
  try {
    await run(app, rest, context);
    if (parseErrors.length) io.write("stderr", mostTelling(parseErrors));
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

/** Help and unknown commands, answered before Stricli runs; undefined for everything else. */
function answerEarly(args: readonly string[], io: Io): ExitCode | undefined {
  const help = helpRequest(root, args);
  if (help) {
    const extras = help.target === root ? { aliases: ROUTE_ALIASES, root: true } : {};
    io.write("stdout", formatHelp(help.target, help.prefix, helpWidth(io), extras));
    return ExitCode.Ok;
  }
  const escape = args.indexOf("--");
  const walk = walkNames(root, escape < 0 ? args : args.slice(0, escape));
  if (walk.ok) return undefined;
  const names = walk.at.getAllEntries().filter((e) => !e.hidden)
    .map((e) => e.name["convert-camel-to-kebab"]);
  const suggestions = commandSuggestions(walk.unknown, names, walk.at === root);
  io.write("stderr", unknownCommandLine(walk.unknown, suggestions) + "\n");
  return ExitCode.Usage;
}

/** `io` whose stderr holds back the parse-error lines Stricli writes (see PARSE_ERROR_MARK). */
function withParseErrorsHeld(io: Io, held: string[]): Io {
  return {
    ...io,
    write: (stream, text) => {
      if (stream === "stderr" && text.includes(PARSE_ERROR_MARK)) {
        held.push(text.replace(PARSE_ERROR_MARK, ""));
      } else io.write(stream, text);
    },
  };
}

/** The one parse error to show: a flag's problem before a missing argument it may have caused. */
function mostTelling(lines: readonly string[]): string {
  return lines.find((l) => !l.includes("netdiag: missing argument")) ?? lines[0];
}

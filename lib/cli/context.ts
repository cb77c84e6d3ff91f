import type { CommandContext, StricliProcess } from "@stricli/core";
import type { Io } from "../runtime/io.ts";
import { styleFor } from "../output/emit.ts";
import type { Style } from "../output/style.ts";

/** The process as Stricli sees it: streams, environment and a settable exit code. */
export interface NetdiagProcess extends StricliProcess {
  exitCode?: number | string | null;
}

/** What every command function receives as `this`. */
export interface NetdiagContext extends CommandContext {
  readonly process: NetdiagProcess;
  /** The process's standard streams and environment. */
  readonly io: Io;
  /** Whether `--debug` was given: unexpected errors then show their stack. */
  readonly debug: boolean;
  /** The arguments after `--` (Stricli mixes them into the positionals), for `probe -- cmd`. */
  readonly escapedArgs: readonly string[];
  /**
   * Set by a command that ran a program (`probe … -- cmd`): netdiag ends with this status
   * (0-255) as it is, instead of its own 0-3 codes.
   */
  childExitStatus?: number;
}

/**
 * Builds the context for one run from the process's {@link Io}. What Stricli itself writes to
 * stderr (a parse error, a command's exception) is bold red when stderr takes colour; that is
 * decided when such a line is written, so a run without one never asks whether stderr is a
 * terminal (on Bun that question loads node:fs, several milliseconds of start-up). Stricli's
 * own colour check is off (`disableAnsiColor` in lib/cli/app.ts).
 */
export function createContext(
  io: Io,
  debug: boolean,
  escapedArgs: readonly string[] = [],
): NetdiagContext {
  const env: Record<string, string> = {};
  for (const name of ["NO_COLOR", "FORCE_COLOR", "TERM"]) {
    const value = io.env(name);
    if (value !== undefined) env[name] = value;
  }
  // styleFor asks whether stderr takes colour only when first used.
  const errorStyle = styleFor({ io, process: {} }, "stderr");
  const stderr = (text: string) =>
    io.write("stderr", errorStyle.enabled ? stricliErrorColour(text, errorStyle) : text);
  return {
    io,
    debug,
    escapedArgs,
    process: {
      stdout: { write: (s) => io.write("stdout", s) },
      stderr: { write: stderr },
      env,
      exitCode: undefined,
    },
  };
}

/** `text` (one message, maybe ending in a newline) in bold red, the newline left outside. */
function stricliErrorColour(text: string, style: Style): string {
  const newline = text.endsWith("\n") ? "\n" : "";
  const body = newline ? text.slice(0, -1) : text;
  return style.bold(style.red(body)) + newline;
}

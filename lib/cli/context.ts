import type { CommandContext, StricliProcess } from "@stricli/core";
import type { Io } from "../runtime/io.ts";

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

/** Builds the context for one run from the process's {@link Io}. */
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
  const colorDepth = (stream: "stdout" | "stderr") => () =>
    io.isTerminal(stream) && !env.NO_COLOR && env.TERM !== "dumb" ? 8 : 1;
  return {
    io,
    debug,
    escapedArgs,
    process: {
      stdout: { write: (s) => io.write("stdout", s), getColorDepth: colorDepth("stdout") },
      stderr: { write: (s) => io.write("stderr", s), getColorDepth: colorDepth("stderr") },
      env,
      exitCode: undefined,
    },
  };
}

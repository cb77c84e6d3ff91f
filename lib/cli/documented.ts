/**
 * The one place a command's failure becomes its machine-readable answer: with `--json` or
 * `--ndjson`, a command that throws (a negative answer, bad input, an operational failure)
 * still prints its document (`ok: false`, `exitCode`, `error`) on stdout before the usual one
 * line on stderr, so a script never has to parse stderr. The exit code comes from the error
 * as everywhere ({@link determineExitCode}).
 * @module
 */
import { errorDocument, errorLine as errorNdjsonLine } from "../output/document.ts";
import { toJson, toNdjsonLine } from "../output/emit.ts";
import type { NetdiagContext } from "./context.ts";
import { determineExitCode } from "./exit.ts";
import { checkConflicts, type FlagConflict } from "./flag_conflicts.ts";
import { errorLine } from "./text.ts";

/** The flags that choose a machine-readable format. */
export interface FormatFlags {
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/**
 * Writes a failed command's machine-readable answer, if its flags asked for one; the default
 * writes the error document (or line) on stdout.
 */
export type ErrorReporter = (
  context: NetdiagContext,
  command: string,
  flags: FormatFlags,
  error: unknown,
) => void;

/** The message of `error` as the document carries it: stderr's line without `netdiag: `. */
export function documentMessage(error: unknown): string {
  return errorLine(error).replace(/^netdiag: /, "");
}

// deno-lint-ignore no-explicit-any
type CommandFunction = (this: NetdiagContext, flags: any, ...args: any[]) => void | Promise<void>;

/**
 * Wraps a command function so that it refuses the flag `conflicts` its definition declares
 * (see lib/cli/flag_conflicts.ts) and reports its failures as a document under `--json` /
 * `--ndjson` (see the module doc), then rethrows them for stderr and the exit code. Used in
 * each command's loader, on the function it loads.
 *
 * @example
 * ```ts ignore
 * buildCommand({
 *   loader: async () => documented("service", (await import("./netdb_run.ts")).serviceCommand),
 *   …
 * });
 * ```
 */
export function documented<F extends CommandFunction>(
  command: string,
  fn: F,
  conflicts: readonly FlagConflict[] = [],
  report: ErrorReporter = writeErrorDocument,
): F {
  const wrapped = async function (
    this: NetdiagContext,
    flags: FormatFlags,
    ...args: unknown[]
  ): Promise<void> {
    try {
      checkConflicts(flags as Record<string, unknown>, conflicts);
      await fn.call(this, flags, ...args);
    } catch (error) {
      report(this, command, flags, error);
      throw error;
    }
  };
  return wrapped as F;
}

function writeErrorDocument(
  context: NetdiagContext,
  command: string,
  flags: FormatFlags,
  error: unknown,
): void {
  if (!flags.json === !flags.ndjson) return; // human output, or both asked for (a usage error)
  const code = determineExitCode(error);
  const message = documentMessage(error);
  context.io.write(
    "stdout",
    flags.json
      ? toJson(errorDocument(command, code, message))
      : toNdjsonLine(errorNdjsonLine(command, code, message)),
  );
}

/**
 * The one place errors become exit codes: a command's error ({@link determineExitCode}), a
 * network failure reported by its code ({@link netFailureExitCode}), and Stricli's own codes
 * ({@link normaliseExitCode}).
 * @module
 */
import { ExitCode } from "../core/exit_code.ts";
import { NetdiagError } from "../core/errors.ts";
import { INTERRUPTED_EXIT_CODE } from "../output/document_emit.ts";

/** Maps an error a command threw to its exit code: {@link NetdiagError}s carry theirs. */
export function determineExitCode(error: unknown): number {
  return error instanceof NetdiagError ? error.exitCode : ExitCode.Failure;
}

/**
 * The exit code of a network failure from its code (lib/net's `NetErrorCode`): a refused
 * connection is a negative answer (1), anything else an operational failure (3).
 */
export function netFailureExitCode(code: string | undefined): ExitCode {
  return code === "ECONNREFUSED" ? ExitCode.Negative : ExitCode.Failure;
}

/**
 * An engine's network failure (a NetError, or a result's error text with its code) as the
 * error a command throws: its message as it is, its exit code from {@link netFailureExitCode}.
 */
export function netFailure(message: string, code: string | undefined, cause?: unknown) {
  return new NetdiagError(message, netFailureExitCode(code), { cause });
}

/**
 * Maps Stricli's own exit codes onto netdiag's: an unknown command or a bad argument is a usage
 * error (2), a failure inside the framework an operational one (3); netdiag's pass through,
 * {@link INTERRUPTED_EXIT_CODE} too.
 */
export function normaliseExitCode(code: number | string | null | undefined): ExitCode {
  const n = typeof code === "number" ? code : Number(code ?? 0);
  if (n === -4 || n === -5) return ExitCode.Usage;
  // 130 is no ExitCode member, but passes through as the process's status all the same.
  if (n === INTERRUPTED_EXIT_CODE) return n as ExitCode;
  if (n < 0 || !Number.isInteger(n) || n > 3) return ExitCode.Failure;
  return n as ExitCode;
}

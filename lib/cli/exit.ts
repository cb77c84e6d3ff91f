import { ExitCode } from "../core/exit_code.ts";
import { NetdiagError } from "../core/errors.ts";

/** Maps an error a command threw to its exit code: {@link NetdiagError}s carry theirs. */
export function determineExitCode(error: unknown): number {
  return error instanceof NetdiagError ? error.exitCode : ExitCode.Failure;
}

/**
 * Maps Stricli's own exit codes onto netdiag's: an unknown command or a bad argument is a usage
 * error (2), a failure inside the framework an operational one (3); netdiag's pass through.
 */
export function normaliseExitCode(code: number | string | null | undefined): ExitCode {
  const n = typeof code === "number" ? code : Number(code ?? 0);
  if (n === -4 || n === -5) return ExitCode.Usage;
  if (n < 0 || !Number.isInteger(n) || n > 3) return ExitCode.Failure;
  return n as ExitCode;
}

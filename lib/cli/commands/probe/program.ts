/**
 * `probe … -- COMMAND [ARGS…]`: the program after `--`, run (stdin, stdout and stderr inherited,
 * no shell) once the probe's condition is met; netdiag then exits with its status.
 * @module
 */
import { quote } from "../../../core/errors.ts";
import { diagnostic } from "../../../output/emit.ts";
import { runProgram } from "../../../runtime/run_program.ts";
import type { NetdiagContext } from "../../context.ts";

/** Splits the positionals into targets and the program after `--` (Stricli mixes them). */
export function splitOperands(
  operands: readonly string[],
  escaped: readonly string[],
): { targets: string[]; program: string[] } {
  const n = escaped.length;
  const tail = operands.slice(operands.length - n);
  const matches = n > 0 && n <= operands.length && tail.every((a, i) => a === escaped[i]);
  return matches
    ? { targets: operands.slice(0, operands.length - n), program: [...escaped] }
    : { targets: [...operands], program: [] };
}

/**
 * Runs `program` when `met`, and makes its status netdiag's; otherwise says why it did not run
 * (unless `quiet`) and leaves the exit code as it is.
 */
export async function runAfter(
  context: NetdiagContext,
  program: readonly string[],
  met: boolean,
  quiet: boolean,
): Promise<void> {
  if (!met) {
    if (!quiet) {
      diagnostic(
        context,
        `netdiag: not running ${quote(program[0])}: the probe condition was not met`,
      );
    }
    return;
  }
  await context.io.flush();
  const exit = await runProgram(program);
  if (exit.failure) {
    diagnostic(context, `netdiag: cannot run ${quote(program[0])}: ${exit.failure}`);
  }
  context.childExitStatus = exit.status;
}

/**
 * The exit codes every netdiag command uses.
 *
 * - `Ok` (0): success, the answer is positive.
 * - `Negative` (1): a negative answer: not found, port closed, echo mismatch.
 * - `Usage` (2): bad input or usage.
 * - `Failure` (3): an operational failure: timeout, server failure, network error.
 */
export const ExitCode = {
  Ok: 0,
  Negative: 1,
  Usage: 2,
  Failure: 3,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

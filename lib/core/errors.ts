import { ExitCode } from "./exit_code.ts";
import { quoteForTerminal } from "./terminal_text.ts";

/**
 * An error netdiag expects and reports as one line, `netdiag: <message>`, with its exit code.
 * The message reads "what failed: why", values quoted.
 */
export class NetdiagError extends Error {
  /** The process exit code this error maps to. */
  readonly exitCode: ExitCode;

  /** Creates an error with the message shown to the user and the exit code it maps to. */
  constructor(message: string, exitCode: ExitCode, options?: ErrorOptions) {
    super(message, options);
    this.name = "NetdiagError";
    this.exitCode = exitCode;
  }
}

/** Bad input or usage: exit code 2. */
export class InputError extends NetdiagError {
  /** Creates an input error; the message names the bad value and what is allowed. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Usage, options);
    this.name = "InputError";
  }
}

/** A negative answer reported as an error (refused, mismatch): exit code 1. */
export class NegativeError extends NetdiagError {
  /** Creates a negative-answer error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Negative, options);
    this.name = "NegativeError";
  }
}

/** An operational failure (timeout, server failure, I/O error): exit code 3. */
export class OperationalError extends NetdiagError {
  /** Creates an operational error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.Failure, options);
    this.name = "OperationalError";
  }
}

/**
 * Quotes a value for an error message: `"127.0.0.1:22"`. Control, C1 and bidi characters come
 * out escaped, so a quoted value can never write to the terminal.
 */
export function quote(value: unknown): string {
  return quoteForTerminal(value);
}

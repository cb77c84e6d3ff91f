/**
 * SIGINT/SIGTERM for every command, in one place: the signal stops the work through an
 * AbortSignal (engines take one), the command then reports what it found so far and ends with
 * exit 130 (`interrupted`), or 0 for a server whose normal end is a signal (docs/output.md).
 * @module
 */
import { NetdiagError } from "../core/errors.ts";
import type { ExitCode } from "../core/exit_code.ts";
import { INTERRUPTED_EXIT_CODE } from "../output/document_emit.ts";
import type { Io } from "../runtime/io.ts";
import { onShutdownSignal, type ShutdownSignal } from "../runtime/signals.ts";

/** A command's interrupt: installed by {@link interruptible}, removed with {@link remove}. */
export interface Interrupt {
  /** Aborted when SIGINT or SIGTERM arrives. */
  readonly signal: AbortSignal;
  /** Whether a signal has arrived. */
  readonly fired: boolean;
  /** The signal that arrived, if one did. */
  readonly which: ShutdownSignal | undefined;
  /** Removes the signal handlers (the process then dies on the next signal, as by default). */
  remove(): void;
}

/**
 * Installs SIGINT/SIGTERM handlers for one command run. On the first signal the returned
 * {@link Interrupt.signal} is aborted and, when stdout or stderr is a terminal, a newline is
 * written to stderr so that the report starts on its own line rather than after the `^C` the
 * terminal echoed.
 */
export function interruptible(io?: Pick<Io, "isTerminal" | "write">): Interrupt {
  const controller = new AbortController();
  let which: ShutdownSignal | undefined;
  const remove = onShutdownSignal((signal) => {
    if (which !== undefined) return;
    which = signal;
    if (io && (io.isTerminal("stderr") || io.isTerminal("stdout"))) io.write("stderr", "\n");
    controller.abort();
  });
  return {
    signal: controller.signal,
    get fired() {
      return which !== undefined;
    },
    get which() {
      return which;
    },
    remove,
  };
}

/**
 * The error of a command stopped by a signal before it had anything to report (exit 130, kind
 * `interrupted`): `netdiag: <what>: interrupted`.
 */
export function interruptedError(what: string): NetdiagError {
  return new NetdiagError(`${what}: interrupted`, INTERRUPTED_EXIT_CODE as ExitCode);
}

/**
 * How a relay command ends: the error a relay's end stands for (with its exit code), or exit 0
 * with the `--json` document.
 * @module
 */
import { NegativeError, OperationalError, quote } from "../../../core/errors.ts";
import { ExitCode } from "../../../core/exit_code.ts";
import { NetError } from "../../../net/mod.ts";
import { type DocumentParts, INTERRUPTED_EXIT_CODE } from "../../../output/document_emit.ts";
import { formatDurationSetting } from "../../../output/units.ts";
import type { RelayResult } from "../../../relay/mod.ts";
import type { NetdiagContext } from "../../context.ts";
import { withDocumentParts, writeDocument } from "./stderr_document.ts";

/**
 * Ends a relay command: the failure (with the document's parts), or exit 0 and the document;
 * `interrupted` (SIGINT/SIGTERM stopped it): exit 130 and the document marked so.
 */
export function finish(
  context: NetdiagContext,
  flags: { readonly json?: boolean },
  command: string,
  parts: DocumentParts,
  failure: Error | undefined,
  interrupted = false,
): void {
  if (failure && !interrupted) throw withDocumentParts(failure, parts);
  const code = interrupted ? INTERRUPTED_EXIT_CODE : ExitCode.Ok;
  if (flags.json) writeDocument(context, command, code, parts, undefined, interrupted);
  context.process.exitCode = code;
}

/** The error a stream relay's end stands for: none for `peer` and `stopped`. */
export function streamFailure(r: RelayResult, label: string, idleMs: number): Error | undefined {
  if (r.end === "idle") {
    return new OperationalError(
      `connection to ${quote(label)}: idle for ${formatDurationSetting(idleMs)}`,
    );
  }
  if (r.end !== "error") return undefined;
  const e = r.error;
  return new OperationalError(
    e instanceof NetError ? e.message : `connection ${quote(label)}: ${e}`,
    {
      cause: e,
    },
  );
}

/** The error a UDP relay's end stands for: none for `idle` and `stopped`. */
export function udpFailure(r: RelayResult, label: string): Error | undefined {
  if (r.end === "refused") {
    return new NegativeError(
      `cannot connect to ${quote(label)}: refused (ICMP port unreachable)`,
      { cause: r.error },
    );
  }
  if (r.end !== "error") return undefined;
  const e = r.error;
  return new OperationalError(e instanceof NetError ? e.message : `udp ${quote(label)}: ${e}`, {
    cause: e,
  });
}

/** A network error a command did not expect as one line, exit 3; anything else as it is. */
export function commandError(error: unknown): unknown {
  return error instanceof NetError ? new OperationalError(error.message, { cause: error }) : error;
}

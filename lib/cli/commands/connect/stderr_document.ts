/**
 * `--json` for `connect` and `listen`, whose stdout is the peer's byte stream: their document
 * (the one result model, lib/output/document.ts) goes to **stderr**, as one line of JSON, so it
 * never mixes with relayed data. On success it is the closing report; on failure it is written
 * before the usual `netdiag: …` line, with the results gathered so far when there are any.
 * @module
 */
import { type ErrorInfo, errorKind, resultDocument } from "../../../output/document.ts";
import type { DocumentParts } from "../../../output/document_emit.ts";
import { toNdjsonLine } from "../../../output/emit.ts";
import type { NetdiagContext } from "../../context.ts";
import { determineExitCode } from "../../exit.ts";
import { documented, documentMessage, type FormatFlags } from "../../documented.ts";
import type { FlagConflict } from "../../flag_conflicts.ts";

/** `--json` of a relay command: its report as a document on stderr. */
export const reportJsonFlag = {
  json: {
    kind: "boolean",
    brief: "Write the report as one JSON document on one line of stderr (stdout keeps the data)",
    optional: true,
  },
} as const;

const partsOf = new WeakMap<object, DocumentParts>();

/** Attaches the results gathered before `error` to it, for its document. Returns `error`. */
export function withDocumentParts<E extends Error>(error: E, parts: DocumentParts): E {
  partsOf.set(error, parts);
  return error;
}

/** Writes a relay command's document as one line on stderr. */
export function writeDocument(
  context: NetdiagContext,
  command: string,
  exitCode: number,
  parts: DocumentParts,
  error?: ErrorInfo,
  interrupted = false,
): void {
  const doc = resultDocument(command, exitCode, parts.summary, parts.results, {
    error,
    interrupted,
  });
  context.io.write("stderr", toNdjsonLine(doc));
}

// deno-lint-ignore no-explicit-any
type CommandFunction = (this: NetdiagContext, flags: any, ...args: any[]) => void | Promise<void>;

/**
 * Wraps a relay command's function as `documented()` does for other commands (the declared
 * flag `conflicts` refused first; a failure under `--json` still writes its document), with the
 * document on stderr: see the module doc. The error is rethrown for its one line and exit code.
 */
export function documentedOnStderr<F extends CommandFunction>(
  command: string,
  fn: F,
  conflicts: readonly FlagConflict[] = [],
): F {
  return documented(command, fn, conflicts, writeStderrErrorDocument);
}

/** Under `--json`, the failed relay command's document on stderr, with its results so far. */
function writeStderrErrorDocument(
  context: NetdiagContext,
  command: string,
  flags: FormatFlags,
  error: unknown,
): void {
  if (!flags.json) return;
  const code = determineExitCode(error);
  const parts = (error instanceof Error && partsOf.get(error)) || { summary: {}, results: [] };
  writeDocument(context, command, code, parts, {
    kind: errorKind(code),
    message: documentMessage(error),
  });
}

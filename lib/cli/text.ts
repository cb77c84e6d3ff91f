import { type ApplicationText, text_en } from "@stricli/core";
import { NetdiagError, quote } from "../core/errors.ts";
import { escapeTerminal } from "../core/terminal_text.ts";
import { scannerErrorMessage } from "./argument_errors.ts";

/**
 * Formats an error as netdiag's one line: `netdiag: <what>: <why>`, never a stack trace. The
 * line never holds a raw control, C1 or bidi character: arguments are quoted with `quote()`, and
 * whatever a message still carries (a runtime's text, an address) is escaped here.
 */
export function errorLine(error: unknown): string {
  const scanner = scannerErrorMessage(error);
  if (scanner !== undefined) return `netdiag: ${escapeTerminal(scanner)}`;
  if (error instanceof NetdiagError) return `netdiag: ${escapeTerminal(error.message)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `netdiag: unexpected error: ${
    escapeTerminal(message.split("\n")[0])
  } (run with --debug for details)`;
}

/**
 * `netdiag: unknown command "htns": did you mean "htons"? (see netdiag --help)` — for Stricli's
 * unknown commands and for the inherited names lib/cli/name_guard.ts turns away.
 */
export function unknownCommandLine(input: string, corrections: readonly string[]): string {
  const names = corrections.map((c) => quote(c.replaceAll("`", "")));
  return `netdiag: unknown command ${quote(input)}` +
    (names.length ? `: did you mean ${names.join(" or ")}?` : "") +
    " (see netdiag --help)";
}

/**
 * Marks a parse error's line so that lib/cli/run.ts can keep one: Stricli writes a line for each
 * error it collected (`pton --family` is a missing value and a missing argument), netdiag prints
 * the most telling one only.
 */
export const PARSE_ERROR_MARK = "\u0000netdiag-parse-error\u0000";

function debugEnabled(): boolean {
  return (globalThis as { __netdiagDebug?: boolean }).__netdiagDebug === true;
}

function withStack(error: unknown): string {
  const line = errorLine(error);
  if (!debugEnabled() || !(error instanceof Error) || !error.stack) return line;
  return `${line}\n${error.stack}`;
}

/** Stricli's English text with netdiag's error formats. */
export const cliText: ApplicationText = {
  ...text_en,
  noCommandRegisteredForInput: ({ input, corrections }) => unknownCommandLine(input, corrections),
  exceptionWhileParsingArguments: (error) => PARSE_ERROR_MARK + errorLine(error),
  exceptionWhileRunningCommand: (error) => withStack(error),
  exceptionWhileLoadingCommandFunction: (error) => withStack(error),
  exceptionWhileLoadingCommandContext: (error) => withStack(error),
  exceptionWhileRunningIntegrationFlag: ({ exception }) => withStack(exception),
  exceptionWhileRunningIntegrationHook: ({ exception }) => withStack(exception),
  commandErrorResult: (error) => withStack(error),
};

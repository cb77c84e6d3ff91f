import { type ApplicationText, ArgumentParseError, text_en } from "@stricli/core";
import { NetdiagError } from "../core/errors.ts";

/** Formats an error as netdiag's one line: `netdiag: <what>: <why>`, never a stack trace. */
export function errorLine(error: unknown): string {
  if (error instanceof ArgumentParseError && error.exception instanceof NetdiagError) {
    return `netdiag: ${error.exception.message}`;
  }
  if (error instanceof ArgumentParseError) {
    return `netdiag: invalid value ${
      JSON.stringify(error.input)
    } for ${error.externalFlagNameOrPlaceholder}: ${
      error.exception instanceof Error ? error.exception.message : String(error.exception)
    }`;
  }
  if (error instanceof NetdiagError) return `netdiag: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `netdiag: unexpected error: ${message.split("\n")[0]} (run with --debug for details)`;
}

function debugEnabled(): boolean {
  return (globalThis as { __netdiagDebug?: boolean }).__netdiagDebug === true;
}

function withStack(error: unknown): string {
  const line = errorLine(error);
  if (!debugEnabled() || !(error instanceof Error) || !error.stack) return line;
  return `${line}\n${error.stack}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Stricli's English text with netdiag's error formats. */
export const cliText: ApplicationText = {
  ...text_en,
  noCommandRegisteredForInput: ({ input, corrections }) =>
    `netdiag: unknown command ${JSON.stringify(input)}` +
    (corrections.length
      ? `: did you mean ${corrections.map((c) => `"${c.replaceAll("`", "")}"`).join(" or ")}?`
      : "") +
    " (see netdiag --help)",
  exceptionWhileParsingArguments: (error) =>
    error instanceof ArgumentParseError || error instanceof NetdiagError
      ? errorLine(error)
      : `netdiag: ${lowerFirst(error instanceof Error ? error.message : String(error))}`,
  exceptionWhileRunningCommand: (error) => withStack(error),
  exceptionWhileLoadingCommandFunction: (error) => withStack(error),
  exceptionWhileLoadingCommandContext: (error) => withStack(error),
  commandErrorResult: (error) => withStack(error),
};

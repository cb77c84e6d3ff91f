/**
 * The words for a failed dial: each attempt's reason (`refused`, `timed out after 2s`) and the
 * one error a command ends with when every attempt failed (exit 1 when all were refused, else 3).
 * @module
 */
import { NegativeError, OperationalError, quote } from "../../../core/errors.ts";
import { ExitCode } from "../../../core/exit_code.ts";
import { NetError } from "../../../net/mod.ts";
import { formatDurationSetting } from "../../../output/units.ts";
import { DialError, type DialFailure } from "../../../relay/mod.ts";
import { formatRelayAddress } from "./report.ts";

/** The short reason of a failed attempt: "refused", "timed out after 2s". */
export function attemptReason(error: unknown, timeoutMs: number): string {
  if (error instanceof NetError) {
    return error.code === "ETIMEDOUT"
      ? `timed out after ${formatDurationSetting(timeoutMs)}`
      : error.message.slice(error.message.lastIndexOf(": ") + 2);
  }
  return String(error);
}

/** The report line of a failed attempt when another address follows: `[::1]:80: refused`. */
export function attemptLine(failure: DialFailure, timeoutMs: number): string {
  return `${formatRelayAddress(failure.target)}: ${attemptReason(failure.error, timeoutMs)}`;
}

/**
 * The error a command ends with for `error` from a dial: a {@link DialError} becomes
 * `cannot connect to "127.0.0.1:22": refused` (or, for a name with several addresses, every
 * attempt in one line); anything else is returned as it is.
 */
export function dialFailure(error: unknown): unknown {
  if (!(error instanceof DialError)) return error;
  const { failures, timeoutMs } = error;
  const last = failures[failures.length - 1];
  const message = error.host !== undefined && failures.length > 1
    ? `cannot connect to ${quote(`${error.host} port ${error.port}`)}: ` +
      failures.map((f) => `${formatRelayAddress(f.target)} ${attemptReason(f.error, timeoutMs)}`)
        .join(", ")
    : `cannot connect to ${quote(formatRelayAddress(last.target))}: ` +
      attemptReason(last.error, timeoutMs);
  return error.exitCode === ExitCode.Negative
    ? new NegativeError(message, { cause: error })
    : new OperationalError(message, { cause: error });
}

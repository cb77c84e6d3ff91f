/**
 * The words for a failed dial attempt when another address follows: `[::1]:80: refused`. (The
 * error a dial ends with, every attempt in one line, is the dialer's own DialError.)
 * @module
 */
import { attemptReason, type DialFailure } from "../../../net/dial.ts";
import { formatRelayAddress } from "./report.ts";

/** The report line of a failed attempt when another address follows: `[::1]:80: refused`. */
export function attemptLine(failure: DialFailure, timeoutMs: number): string {
  return `${formatRelayAddress(failure.target)}: ${attemptReason(failure.error, timeoutMs)}`;
}

/**
 * The errors the library throws, for `instanceof` checks: every netdiag error is a
 * `NetdiagError` with the `exitCode` the CLI would exit with (`InputError` 2, `NegativeError` 1,
 * `OperationalError` 3); a socket operation that fails rejects with a `NetError` with a stable
 * `code` (`ECONNREFUSED`, `EADDRINUSE`, `ETIMEDOUT`, `ABORTED`, …).
 * @module
 */
export { InputError, NegativeError, NetdiagError, OperationalError } from "../core/errors.ts";
export { ExitCode } from "../core/exit_code.ts";
export { NetError, type NetErrorCode, type NetOperation } from "../net/types.ts";

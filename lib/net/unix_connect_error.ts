/**
 * One cause for a failed Unix connect on every runtime. The runtimes disagree about a path that
 * is not a listening stream socket: Bun says ECONNREFUSED for all of them, Deno "Error" for a
 * datagram socket and ENOTDIR for a path through a file, node ENOTDIR or EPROTOTYPE. The path
 * itself tells them apart.
 * @module
 */
import { boundSockets, inspectPath } from "./unix_path.ts";
import { NetError } from "./types.ts";

/** Bun reports every failed Unix connect as ECONNREFUSED (its errno is lost). */
const RUNTIME_HIDES_ERRNO = "Bun" in globalThis;

/** Linux's errno 91 (EPROTOTYPE), which Deno reports only inside its message. */
const DENO_EPROTOTYPE = /\(os error 91\)$/;

/**
 * `error` (a failed connect to the Unix socket `path`) with the cause every runtime agrees on:
 * `ENOTDIR` when a component of the path is a file, `ENOTSOCK` (with the file's kind) when the
 * path is not a socket, `EPROTOTYPE` when it is a socket of another type (datagram, seqpacket);
 * otherwise `error` itself (ECONNREFUSED for a socket file nobody listens on, ENOENT, …).
 */
export function explainUnixConnectError(error: NetError, path: string): NetError {
  if (!["ECONNREFUSED", "UNKNOWN", "ENOTDIR", "EPROTOTYPE"].includes(error.code)) return error;
  const options = { cause: error.cause ?? error, systemCode: error.systemCode };
  const state = inspectPath(path, true);
  switch (state.kind) {
    case "notdir":
      return new NetError("ENOTDIR", "connect", path, options);
    case "missing":
      return new NetError("ENOENT", "connect", path, options);
    case "other":
      return new NetError("ENOTSOCK", "connect", path, { ...options, detail: state.description });
    case "unknown":
      return error;
  }
  const cause = error.cause as { message?: string } | undefined;
  const wrongType = error.systemCode === "EPROTOTYPE" ||
    DENO_EPROTOTYPE.test(String(cause?.message ?? ""));
  // Only Bun hides EPROTOTYPE behind ECONNREFUSED; elsewhere the socket table is not needed.
  const other = wrongType || RUNTIME_HIDES_ERRNO
    ? boundSockets(path)?.find((b) => b.type !== "stream")?.type
    : undefined;
  if (!wrongType && other === undefined) return error;
  return new NetError("EPROTOTYPE", "connect", path, {
    ...options,
    ...(other ? { detail: `a ${other} socket` } : {}),
  });
}

/**
 * Listening on a Unix socket path that an earlier server left behind. A server killed with
 * SIGKILL cannot remove its socket file, and bind() then fails with EADDRINUSE for good. The
 * file is replaced only when it is provably stale: a socket (not a link to one), that a connect
 * is refused on, and that no socket is bound to any more. A path where a server still accepts,
 * a socket of another type, and anything that is not a socket are left as they are.
 * @module
 */
import { nodeFsSync } from "../runtime/node_fs_sync.ts";
import { type Connection, NetError } from "./types.ts";
import { describeBound, inspectPath } from "./unix_path.ts";

/** How long the liveness check waits for a connect to an existing socket file. */
const PROBE_TIMEOUT_MS = 1000;

/** What {@link listenUnix} needs of its adapter. */
export interface UnixListenSteps<L> {
  /** Binds and listens on the path once (rejects with a NetError, EADDRINUSE when it exists). */
  listen(): Promise<L>;
  /** Connects to the path, to see whether a server is accepting there. */
  connect(options: { transport: "unix"; path: string; timeoutMs: number }): Promise<Connection>;
}

/**
 * Listens on the Unix socket `path`; when it is taken by a stale socket file, removes that file
 * and listens again. Rejects with `EADDRINUSE` and the reason when the path is in use or is not
 * a socket (never removing it), else with the listen's own error.
 */
export async function listenUnix<L>(path: string, steps: UnixListenSteps<L>): Promise<L> {
  try {
    return await steps.listen();
  } catch (error) {
    if (!(error instanceof NetError) || error.code !== "EADDRINUSE") throw error;
    const refusal = await whyNotStale(path, steps);
    if (refusal !== undefined) {
      throw new NetError("EADDRINUSE", "listen", path, { cause: error, detail: refusal });
    }
  }
  try {
    nodeFsSync().unlinkSync(path);
  } catch (error) {
    const code = (error as { code?: string })?.code;
    if (code !== "ENOENT") {
      throw new NetError("EADDRINUSE", "listen", path, {
        cause: error,
        detail: `a stale socket file that cannot be removed: ${code ?? error}`,
      });
    }
  }
  return await steps.listen();
}

/**
 * Why the file at `path` must stay, or undefined when it is a stale socket file: a socket that
 * no socket is bound to (as the kernel's table says, where it can be read: no connection is
 * made to a live server) and that a connect is refused on (in case the table names the path
 * differently, through a symbolic link).
 */
async function whyNotStale<L>(
  path: string,
  steps: UnixListenSteps<L>,
): Promise<string | undefined> {
  const state = inspectPath(path, false);
  if (state.kind === "missing") return undefined; // gone since: listen again
  if (state.kind === "other") return `${state.description}, not a socket: left as it is`;
  if (state.kind !== "socket") return "it cannot be inspected: left as it is";
  const bound = describeBound(path);
  if (bound !== undefined) return bound;
  let conn: Connection;
  try {
    conn = await steps.connect({ transport: "unix", path, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (error) {
    const code = error instanceof NetError ? error.code : undefined;
    if (code === "ECONNREFUSED" || code === "ENOENT") return undefined;
    if (code === "EPROTOTYPE") return "a socket of another type is bound to it";
    return `a socket that a connect fails on (${code ?? error}): left as it is`;
  }
  conn.close();
  return "a server is accepting connections on it";
}

/** Removes a Unix listener's socket file, if the path still holds a socket. */
export function removeSocketFile(path: string): void {
  try {
    const fs = nodeFsSync();
    if (fs.lstatSync(path).isSocket()) fs.unlinkSync(path);
  } catch { /* gone already */ }
}

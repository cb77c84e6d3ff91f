/**
 * What is at a Unix socket path: the file's kind, and which sockets are bound to it (Linux's
 * `/proc/net/unix`). Used on the failure paths of Unix connects and listens only, so that every
 * runtime names the same cause: Bun reports a connect to a regular file, a directory, a path
 * through a file and a datagram socket all as ECONNREFUSED, Deno some of them as a bare "Error".
 * @module
 */
import type { Stats } from "node:fs";
import { nodeFsSync } from "../runtime/node_fs_sync.ts";
import { readProcNet } from "./proc_net.ts";

/** The kind of a file that is not a socket, for messages: "a regular file", "a directory", … */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return "a regular file";
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a socket";
}

/** What a path holds, as far as a socket connect or listen cares. */
export type PathState =
  | { readonly kind: "missing" }
  | { readonly kind: "notdir" }
  | { readonly kind: "socket" }
  | { readonly kind: "other"; readonly description: string }
  | { readonly kind: "unknown"; readonly code?: string };

/**
 * Inspects `path`: `follow` as connect does (symbolic links followed), or not, as bind does (a
 * link is "other" and is never taken for the socket it points to).
 */
export function inspectPath(path: string, follow: boolean): PathState {
  try {
    const fs = nodeFsSync();
    const stats = follow ? fs.statSync(path) : fs.lstatSync(path);
    return stats.isSocket() ? { kind: "socket" } : { kind: "other", description: fileKind(stats) };
  } catch (error) {
    const code = (error as { code?: string })?.code;
    if (code === "ENOENT") return { kind: "missing" };
    if (code === "ENOTDIR") return { kind: "notdir" };
    return { kind: "unknown", code };
  }
}

/** A socket type as `/proc/net/unix` numbers it. */
export type UnixSocketType = "stream" | "datagram" | "seqpacket";

const TYPES: Record<string, UnixSocketType> = {
  "0001": "stream",
  "0002": "datagram",
  "0005": "seqpacket",
};

/** A socket bound to a path. */
export interface BoundSocket {
  readonly type: UnixSocketType;
  /** A listening stream or seqpacket socket (a server accepting connections). */
  readonly listening: boolean;
}

/** `__SO_ACCEPTCON` in the table's flags: the socket listens. */
const ACCEPTING = 0x10000;

/**
 * The sockets bound to `path` (a stream server's accepted connections carry its path too), from
 * `/proc/net/unix`; undefined where that table cannot be read (not Linux). A socket bound
 * through a relative path is listed with that relative path: it counts when `path` ends with
 * it, so that a live socket is never taken for a stale one.
 */
export function boundSockets(path: string): BoundSocket[] | undefined {
  const table = readProcNet("unix");
  if (table === undefined) return undefined;
  const found: BoundSocket[] = [];
  for (const line of table.split("\n")) {
    // "Num RefCount Protocol Flags Type St Inode Path": the path is the rest after 7 fields.
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const bound = fields.slice(7).join(" ");
    const matches = bound === path ||
      (!bound.startsWith("/") && !bound.startsWith("@") && path.endsWith(`/${bound}`));
    if (!matches) continue;
    found.push({
      type: TYPES[fields[4]] ?? "stream",
      listening: (parseInt(fields[3], 16) & ACCEPTING) !== 0,
    });
  }
  return found;
}

/** What is bound to `path`, for messages; undefined when nothing is (or it cannot be known). */
export function describeBound(path: string): string | undefined {
  const bound = boundSockets(path);
  if (!bound || bound.length === 0) return undefined;
  if (bound.some((b) => b.listening)) return "a server is accepting connections on it";
  return `a ${bound[0].type} socket is bound to it`;
}

/**
 * Facts about Bun's standard file descriptors, asked synchronously (node:tty through
 * `import.meta.require`, node:fs through ./node_fs_sync.ts) so that neither loads before something
 * asks (each costs a compiled binary several milliseconds of start-up; node:tty ~10 ms, as it
 * brings node:stream along).
 * @module
 */

import { nodeFsSync } from "./node_fs_sync.ts";

type NodeTty = typeof import("node:tty");

/** A Node built-in, loaded synchronously through Bun's `import.meta.require`. */
const bunRequire = <T>(id: string): T =>
  (import.meta as unknown as { require(id: string): unknown }).require(id) as T;

let ttyModule: NodeTty | undefined;

/** Linux's character devices of major 1 (null, zero, full, random, …): never a terminal. */
const LINUX_MEMORY_DEVICES = 1;

/** libc's isatty(3) through bun:ffi, or null where it cannot be bound. */
type Isatty = (fd: number) => number;

let libcIsatty: Isatty | null | undefined;

/**
 * isatty(3) of glibc on Linux through bun:ffi (binding it costs a compiled binary ~3 ms of
 * start-up, node:fs ~6 ms), or null elsewhere or when it cannot be bound.
 */
function bindIsatty(): Isatty | null {
  // deno-lint-ignore no-process-global
  if (globalThis.process?.platform !== "linux") return null;
  try {
    const ffi = bunRequire<{
      dlopen(path: string, symbols: unknown): { symbols: { isatty: Isatty } };
    }>("bun:ffi");
    return ffi.dlopen("libc.so.6", { isatty: { args: ["i32"], returns: "i32" } }).symbols.isatty;
  } catch {
    return null; // no glibc (musl) or no FFI: fstat and node:tty below
  }
}

/**
 * Whether `fd` is a terminal, as isatty(3) says: asked of libc on Linux with glibc. Elsewhere, a
 * descriptor that is not a character device (a pipe, a file, a socket) or, on Linux, is a memory
 * device such as /dev/null is answered from fstat alone; only a character device that may be a
 * terminal asks node:tty.
 *
 * @example
 * ```ts ignore
 * isTerminalFd(1); // false under `netdiag … | cat`
 * ```
 */
export function isTerminalFd(fd: number): boolean {
  if (libcIsatty === undefined) libcIsatty = bindIsatty();
  if (libcIsatty) return libcIsatty(fd) === 1;
  let stat;
  try {
    stat = nodeFsSync().fstatSync(fd);
  } catch {
    return false; // closed or not a descriptor: not a terminal either
  }
  if (!stat.isCharacterDevice()) return false;
  // deno-lint-ignore no-process-global
  if (globalThis.process?.platform === "linux" && linuxMajor(stat.rdev) === LINUX_MEMORY_DEVICES) {
    return false;
  }
  ttyModule ??= bunRequire<NodeTty>("node:tty");
  return ttyModule.isatty(fd);
}

/** The major number of a Linux device number (glibc's gnu_dev_major). */
function linuxMajor(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

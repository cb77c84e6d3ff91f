/**
 * Facts about Bun's standard file descriptors, asked synchronously through `import.meta.require`
 * so that neither node:fs nor node:tty loads before something asks (each costs a compiled
 * binary several milliseconds of start-up; node:tty ~10 ms, as it brings node:stream along).
 * @module
 */

type NodeFs = typeof import("node:fs");
type NodeTty = typeof import("node:tty");

/** A Node built-in, loaded synchronously through Bun's `import.meta.require`. */
const bunRequire = <T>(id: string): T =>
  (import.meta as unknown as { require(id: string): unknown }).require(id) as T;

let fsModule: NodeFs | undefined;
let ttyModule: NodeTty | undefined;

/** node:fs, loaded on the first call. */
export function nodeFsSync(): NodeFs {
  fsModule ??= bunRequire<NodeFs>("node:fs");
  return fsModule;
}

/** Linux's character devices of major 1 (null, zero, full, random, …): never a terminal. */
const LINUX_MEMORY_DEVICES = 1;

/**
 * Whether `fd` is a terminal, as isatty(3) says. A descriptor that is not a character device
 * (a pipe, a file, a socket) or, on Linux, is a memory device such as /dev/null is answered
 * from fstat alone; only a character device that may be a terminal asks node:tty.
 *
 * @example
 * ```ts ignore
 * isTerminalFd(1); // false under `netdiag … | cat`
 * ```
 */
export function isTerminalFd(fd: number): boolean {
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

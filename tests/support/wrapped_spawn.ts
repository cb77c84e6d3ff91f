/**
 * Starts netdiag inside a wrapper command, for end-to-end tests that need the process in a
 * changed environment: a shell that lowers a resource limit first, `unshare` with a small tmpfs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";
import { commandLine, type Target } from "./cli.ts";

/**
 * Starts `wrapper… <netdiag command line for target and args>` with stdin, stdout and stderr as
 * pipes and the environment the other end-to-end tests give netdiag (no colour, no debug).
 */
export function spawnWrapped(
  target: Target,
  wrapper: readonly string[],
  args: readonly string[],
): ChildProcess {
  const [cmd, argv] = commandLine(target, args);
  const env = { ...process.env, NO_COLOR: "1" } as Record<string, string>;
  delete env.FORCE_COLOR;
  delete env.NETDIAG_DEBUG;
  return spawn(wrapper[0], [...wrapper.slice(1), cmd, ...argv], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** A shell wrapper that ignores SIGXFSZ and limits files the process writes to `kib` KiB. */
export function fileSizeLimit(kib: number): string[] {
  // `ulimit -f` counts 512-byte blocks in POSIX shells (dash) and 1024-byte ones in bash:
  // ask for twice the blocks of 512 bytes and accept that bash allows double.
  return ["sh", "-c", `trap '' XFSZ; ulimit -f ${kib * 2} && exec "$@"`, "sh"];
}

/**
 * An `unshare` wrapper that mounts a tmpfs of `kib` KiB over `dir` in a private mount namespace
 * (needs root), so that writing more fails with ENOSPC.
 */
export function smallTmpfs(dir: string, kib: number): string[] {
  return [
    "unshare",
    "-m",
    "--propagation",
    "private",
    "sh",
    "-c",
    `mount -t tmpfs -o size=${kib}k netdiag-test "$0" && exec "$@"`,
    dir,
  ];
}

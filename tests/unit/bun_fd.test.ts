/**
 * isTerminalFd: glibc's isatty(3) on Linux (bun:ffi); elsewhere fstat for pipes, files and
 * memory devices, node:tty's isatty for a terminal. Either way, the answers isatty(3) gives.
 * Bun only (it loads bun:ffi and node:tty through import.meta.require).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTerminalFd } from "../../lib/runtime/bun_fd.ts";

const inBun = "Bun" in globalThis;
const MODULE = new URL("../../lib/runtime/bun_fd.ts", import.meta.url).pathname;

test("a file, /dev/null and a descriptor that is not open are not terminals", {
  skip: !inBun && "Bun only",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-fd-"));
  const file = openSync(join(dir, "f"), "w");
  const devNull = openSync("/dev/null", "w");
  try {
    assert.equal(isTerminalFd(file), false);
    assert.equal(isTerminalFd(devNull), false);
    assert.equal(isTerminalFd(987654), false);
  } finally {
    closeSync(file);
    closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a pipe is not a terminal; a pseudo-terminal is (under script(1))", {
  skip: !inBun && "Bun only",
}, () => {
  const code = `const { isTerminalFd } = await import(${JSON.stringify(MODULE)});` +
    `console.log(String(isTerminalFd(1)));`;
  const piped = execFileSync(process.execPath, ["-e", code], { encoding: "utf8" });
  assert.equal(piped.trim(), "false");
  // script(1) runs the command on a new pseudo-terminal and copies what it printed.
  const command = `${process.execPath} -e '${code}'`;
  const onTerminal = execFileSync("script", ["-qec", command, "/dev/null"], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.match(onTerminal, /^true\r?$/m);
});

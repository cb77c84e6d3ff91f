/**
 * Output redirected to a file lands where the shell asked: `netdiag … >>log` twice appends the
 * second document right after the first (Bun's `Bun.write` ignored O_APPEND for writes over
 * ~1 KiB and left a hole of NUL bytes), and `>file` after `>>` starts from the beginning.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { commandLine, targets } from "../support/cli.ts";
import { join } from "../support/paths.ts";

/** Runs netdiag with stdout on a file opened with `flags` (`a` appends, `w` truncates). */
async function runInto(target: "deno" | "binary", path: string, flags: string, args: string[]) {
  const fd = openSync(path, flags);
  try {
    const [cmd, argv] = commandLine(target, args);
    const child = spawn(cmd, argv, { stdio: ["ignore", fd, "ignore"] });
    return await new Promise<number | null>((resolve) => child.on("close", resolve));
  } finally {
    closeSync(fd);
  }
}

// 50 closed ports: a JSON document of several KiB, well over the size where Bun.write misbehaved.
const ARGS = ["probe", "127.0.0.1:1-50", "--json", "--timeout", "200ms"];

for (const target of targets()) {
  test(`[${target}] output appended to a file (>>) twice follows itself with no hole of NULs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-stdout-"));
    try {
      const path = join(dir, "log");
      await runInto(target, path, "a", ARGS);
      const first = readFileSync(path);
      assert.ok(first.length > 2048, `the document is ${first.length} bytes, meant to be > 2 KiB`);
      await runInto(target, path, "a", ARGS);
      const both = readFileSync(path);
      assert.equal(both.indexOf(0), -1, "no NUL byte in the file");
      // The second document follows the first byte for byte: the first is intact, the rest is
      // one whole document (its length may differ a little: durations, and a port that timed
      // out under load).
      assert.deepEqual(both.subarray(0, first.length), first, "the first document is intact");
      const second = both.subarray(first.length).toString();
      assert.ok(second.length > 2048, `the second document is ${second.length} bytes`);
      JSON.parse(second);
      await runInto(target, path, "w", ARGS);
      // `>` starts from the beginning: the file is one document again, nothing of the others left.
      JSON.parse(readFileSync(path).toString());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

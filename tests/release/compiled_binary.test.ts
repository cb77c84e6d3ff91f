/**
 * The compiled binary ignores a `.env` and a `bunfig.toml` in the working directory: Bun's
 * executables load both by default (a bunfig.toml `preload` runs its code, a .env sets variables
 * such as FORCE_COLOR), and scripts/build turns that off.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { BINARY, targets } from "../support/cli.ts";
import { join } from "../support/paths.ts";

const skip = targets().includes("binary") ? false : "dist/netdiag is not among the test targets";
if (skip) console.log(`compiled binary tests skipped: ${skip}`);

test("dist/netdiag ignores .env and bunfig.toml (preload) in the working directory", {
  skip,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-cwd-"));
  try {
    writeFileSync(join(dir, "preload.js"), 'console.error("PRELOADED");\n');
    writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./preload.js"]\n');
    writeFileSync(join(dir, ".env"), "FORCE_COLOR=1\n");
    // Deno.Command with clearEnv: the test runner's own NO_COLOR must not reach the binary.
    const run = (args: string[], extra: Record<string, string> = {}) => {
      const out = new Deno.Command(BINARY, {
        args,
        cwd: dir,
        clearEnv: true,
        env: { PATH: "/usr/bin:/bin", HOME: dir, ...extra },
      }).outputSync();
      const text = new TextDecoder();
      return { stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
    };
    for (const args of [["resolve", "localhost"], ["--help"], ["htons", "70000"]]) {
      const r = run(args);
      assert.ok(!r.stderr.includes("PRELOADED"), `${args.join(" ")}: bunfig.toml preload ran`);
      assert.ok(!r.stdout.includes("\x1b["), `${args.join(" ")}: .env's FORCE_COLOR was read`);
    }
    const forced = run(["resolve", "localhost"], { FORCE_COLOR: "1" });
    assert.ok(forced.stdout.includes("\x1b["), "FORCE_COLOR from the environment still works");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

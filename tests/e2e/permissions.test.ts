/**
 * The "deno" end-to-end target runs netdiag with deno.json's permission allow-list, never with
 * every permission. (Deno's node:child_process adds `-A` to a command line that starts Deno with
 * no permission flag at all; with the allow-list's flags present it leaves them alone.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { commandLine, ROOT, runNetdiag } from "../support/cli.ts";
import { join } from "../support/paths.ts";

test("the deno target runs under the allow-list, not -A: an env read it does not list is refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-perm-"));
  try {
    const script = join(dir, "probe.ts");
    writeFileSync(
      script,
      'try { Deno.env.get("HOME"); console.log("granted"); } catch { console.log("refused"); }\n',
    );
    const [cmd, argv] = commandLine("deno", []);
    const main = join(ROOT, "main.ts");
    assert.ok(argv.includes(main), "the command line runs main.ts");
    const r = spawnSync(cmd, argv.map((a) => (a === main ? script : a)), { encoding: "utf8" });
    assert.equal(r.stdout.trim(), "refused", r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("netdiag runs under the allow-list as the deno target", async () => {
  const r = await runNetdiag("deno", ["htons", "20000"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "8270\n");
});

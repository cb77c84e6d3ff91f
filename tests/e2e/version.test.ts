/**
 * `netdiag --version` says what netdiag is: from source, `(source)` and the running Deno; the
 * compiled binary, the commit and date it was built from (the commit's own time), Bun and its
 * target. `--version --json` prints the same as an object; `-v` is `--version`. The fast path
 * answers it: under Deno it needs no read permission, which the full CLI's import would.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { arch, platform } from "node:os";
import { ROOT, runNetdiag, targets } from "../support/cli.ts";
import { join } from "../support/paths.ts";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const host = `${platform() === "win32" ? "windows" : platform()}-${arch()}`;

function commitTime(hash: string): string | undefined {
  const r = spawnSync("git", ["-C", ROOT, "log", "-1", "--format=%ct", hash], {
    encoding: "utf8",
  });
  if (r.status !== 0) return undefined;
  return new Date(Number(r.stdout.trim()) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

for (const target of targets()) {
  test(`[${target}] --version --json describes the build; --version and -v print it as one line`, async () => {
    const json = await runNetdiag(target, ["--version", "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const info = JSON.parse(json.stdout);
    assert.equal(info.name, "netdiag");
    assert.equal(info.version, pkg.version);
    assert.equal(info.target, host);
    let line: string;
    if (target === "deno") {
      assert.deepEqual(
        [info.build, info.commit, info.date, info.runtime, info.runtimeVersion],
        ["source", null, null, "deno", Deno.version.deno],
      );
      line = `netdiag ${pkg.version} (source) deno ${Deno.version.deno} ${host}`;
    } else {
      assert.deepEqual(
        [info.build, info.runtime, info.runtimeVersion],
        ["compiled", "bun", pkg.toolchain.bun],
      );
      assert.match(info.commit, /^[0-9a-f]{7,}(-dirty)?$/);
      assert.match(info.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const time = commitTime(info.commit.replace(/-dirty$/, ""));
      if (time) assert.equal(info.date, time, "the build date is the commit's time");
      line = `netdiag ${pkg.version} (${info.commit}, ${
        info.date.slice(0, 10)
      }) bun ${pkg.toolchain.bun} ${host}`;
    }
    for (const flag of ["--version", "-v"]) {
      const r = await runNetdiag(target, [flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${line}\n`, flag);
    }
    const reversed = await runNetdiag(target, ["--json", "-v"]);
    assert.deepEqual(JSON.parse(reversed.stdout), info);
  });
}

test("[deno] --version takes the fast path: no read permission needed (the full CLI would be)", () => {
  // Deno.Command, not node:child_process: Deno's spawn of its own executable adds --allow-all.
  const run = (args: string[]) => {
    const out = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--config",
        join(ROOT, "deno.json"),
        join(ROOT, "main.ts"),
        ...args,
      ],
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).outputSync();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  };
  const version = run(["--version"]);
  assert.equal(version.code, 0, version.stderr);
  assert.match(version.stdout, /^netdiag \S+ \(source\) deno /);
  const help = run(["--help"]);
  assert.notEqual(help.code, 0, "the full CLI needs --allow-read to load, or this proves nothing");
  assert.match(help.stderr, /Requires read access/);
});

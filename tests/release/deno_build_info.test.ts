/**
 * The Deno builds' build facts (scripts/release --with-deno): scripts/inject_build_info.ts turns
 * lib/build_info.ts's declaration into a constant in a copy of the sources, and netdiag run from
 * that copy reports them. `deno compile` itself needs internet access (denort), so this checks
 * the copy with `deno run`, which is what `deno compile` embeds.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { injectBuildInfo } from "../../scripts/inject_build_info.ts";
import { VERSION } from "./release_dir.ts";

const FACTS = { commit: "abc1234", date: "2026-01-02T03:04:05Z", target: "linux-arm64" };

test("injectBuildInfo() makes the declaration a constant holding the facts", () => {
  const source = readFileSync(join(ROOT, "lib", "build_info.ts"), "utf8");
  const injected = injectBuildInfo(source, FACTS);
  assert.ok(
    injected.includes(`const NETDIAG_BUILD: BuildInfo | undefined = ${JSON.stringify(FACTS)};`),
  );
  assert.ok(!injected.includes("declare const NETDIAG_BUILD"));
  assert.throws(() => injectBuildInfo(injected, FACTS), /no NETDIAG_BUILD declaration/);
});

test("a source copy with injected facts reports them: deno, compiled, commit, date, target", () => {
  const copy = mkdtempSync(join(tmpdir(), "netdiag-deno-src-"));
  try {
    for (const name of ["main.ts", "lib", "deno.json", "package.json"]) {
      cpSync(join(ROOT, name), join(copy, name), { recursive: true });
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    const inject = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--allow-read",
        "--allow-write",
        join(ROOT, "scripts", "inject_build_info.ts"),
        join(copy, "lib", "build_info.ts"),
        JSON.stringify(FACTS),
      ],
    }).outputSync();
    assert.equal(inject.code, 0, new TextDecoder().decode(inject.stderr));
    const run = (args: string[]) => {
      const out = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          "--config",
          join(copy, "deno.json"),
          join(copy, "main.ts"),
          ...args,
        ],
        env: { NO_COLOR: "1" },
      }).outputSync();
      return new TextDecoder().decode(out.stdout);
    };
    const info = JSON.parse(run(["--version", "--json"]));
    assert.deepEqual(
      [info.build, info.commit, info.date, info.target, info.runtime],
      ["compiled", FACTS.commit, FACTS.date, FACTS.target, "deno"],
    );
    assert.equal(
      run(["--version"]),
      `netdiag ${VERSION} (abc1234, 2026-01-02) deno ${Deno.version.deno} linux-arm64\n`,
    );
    assert.match(
      readFileSync(join(ROOT, "lib", "build_info.ts"), "utf8"),
      /^declare const NETDIAG_BUILD: BuildInfo \| undefined;$/m,
      "the working tree's file is untouched",
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { VERSION } from "../../lib/version.ts";
import { BUILD_INFO } from "../../lib/build_info.ts";
import {
  formatVersion,
  targetName,
  versionReport,
  versionText,
} from "../../lib/cli/version_report.ts";
import { tryFastPath } from "../../lib/cli/fast_path.ts";
import { runCli } from "../../lib/cli/run.ts";
import type { Io } from "../../lib/runtime/io.ts";

function memoryIo(): Io & { out: string } {
  const io = {
    out: "",
    write(stream: "stdout" | "stderr", text: string) {
      if (stream === "stdout") io.out += text;
    },
    writeBytes: () => Promise.resolve(),
    flush: () => Promise.resolve(),
    isTerminal: () => false,
    env: () => undefined,
    stdin: () => new ReadableStream<Uint8Array>(),
  };
  return io;
}

test("VERSION equals package.json's version", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  assert.equal(VERSION, pkg.version);
});

test("from source nothing is injected: BUILD_INFO is undefined and the report says source", () => {
  assert.equal(BUILD_INFO, undefined);
  const report = versionReport();
  assert.equal(report.build, "source");
  assert.equal(report.commit, null);
  assert.equal(report.date, null);
  assert.match(report.target, /^(linux|darwin|windows)-(x64|arm64)(-musl)?$/);
});

test("a build's facts make the report and the line: commit, date (the day), runtime, target", () => {
  const report = versionReport("0.2.0", {
    commit: "abc1234",
    date: "2026-11-29T09:31:00Z",
    target: "linux-arm64",
  });
  assert.deepEqual(
    { ...report, runtimeVersion: "x" },
    {
      name: "netdiag",
      version: "0.2.0",
      build: "compiled",
      commit: "abc1234",
      date: "2026-11-29T09:31:00Z",
      runtime: report.runtime,
      runtimeVersion: "x",
      target: "linux-arm64",
    },
  );
  assert.equal(
    formatVersion({ ...report, runtime: "bun", runtimeVersion: "1.4.5" }),
    "netdiag 0.2.0 (abc1234, 2026-11-29) bun 1.4.5 linux-arm64",
  );
  assert.equal(
    formatVersion({ ...report, build: "source", commit: null, date: null, runtime: "deno" }),
    `netdiag 0.2.0 (source) deno ${report.runtimeVersion} linux-arm64`,
  );
});

test("targetName() names release targets the way runtimes spell OS and CPU", () => {
  assert.equal(targetName("linux", "x86_64", "gnu"), "linux-x64");
  assert.equal(targetName("linux", "x64"), "linux-x64");
  assert.equal(targetName("linux", "aarch64", "musl"), "linux-arm64-musl");
  assert.equal(targetName("darwin", "arm64"), "darwin-arm64");
  assert.equal(targetName("win32", "x64"), "windows-x64");
  assert.equal(targetName("windows", "x86_64", "msvc"), "windows-x64");
});

test("the fast path answers --version, -v and --version --json as the full CLI's --version does", async () => {
  const fast = memoryIo();
  assert.equal(tryFastPath(["--version"], fast), 0);
  assert.equal(fast.out, `${versionText()}\n`);
  const alias = memoryIo();
  assert.equal(tryFastPath(["-v"], alias), 0);
  assert.equal(alias.out, fast.out);
  const full = memoryIo();
  assert.equal(await runCli(["--version"], full), 0);
  assert.equal(full.out, fast.out, "Stricli's versionInfo prints the same line");
  for (const args of [["--version", "--json"], ["--json", "--version"]]) {
    const json = memoryIo();
    assert.equal(tryFastPath(args, json), 0);
    assert.deepEqual(JSON.parse(json.out), versionReport());
  }
});

test("the fast path leaves --version with anything else to the full CLI", () => {
  for (
    const args of [
      ["--version", "htons"],
      ["--version", "--json", "--json"],
      ["--version", "-v"],
      ["probe", "-v"],
      ["--json"],
    ]
  ) {
    assert.equal(tryFastPath(args, memoryIo()), undefined, args.join(" "));
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runNetdiag, targets } from "../support/cli.ts";

const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;

for (const target of targets()) {
  test(`[${target}] --version prints package.json's version, how it was built and its runtime`, async () => {
    const r = await runNetdiag(target, ["--version"]);
    assert.equal(r.code, 0);
    const built = target === "deno" ? "source" : "[0-9a-f]{7,}(-dirty)?, \\d{4}-\\d\\d-\\d\\d";
    const runtime = target === "deno" ? "deno" : "bun";
    const v = version.replaceAll(".", "\\.");
    assert.match(
      r.stdout,
      new RegExp(`^netdiag ${v} \\(${built}\\) ${runtime} [0-9.]+ [a-z]+-[a-z0-9]+\n$`),
    );
  });

  test(`[${target}] --help lists the commands and the exit codes`, async () => {
    const r = await runNetdiag(target, ["--help"]);
    assert.equal(r.code, 0);
    for (const word of ["htons", "ntohl", "Exit codes"]) assert.ok(r.stdout.includes(word), word);
  });

  test(`[${target}] a command's --help shows examples`, async () => {
    const r = await runNetdiag(target, ["htonl", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Examples:\n\s+netdiag htonl 20000/);
  });

  test(`[${target}] output has no colour codes when stdout is not a terminal`, async () => {
    const r = await runNetdiag(target, ["--help"], { env: { NO_COLOR: "" } });
    assert.equal(r.code, 0);
    assert.ok(!r.stdout.includes("\x1b["), "no ANSI escapes in piped output");
  });

  test(`[${target}] a missing argument is a usage error with one line`, async () => {
    const r = await runNetdiag(target, ["ntohs"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^netdiag: /);
  });
}

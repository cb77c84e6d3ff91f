import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandLine, runNetdiag, targets } from "../support/cli.ts";

const have = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const shQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

for (const target of targets()) {
  test(`[${target}] __complete ht proposes htons and htonl`, async () => {
    const r = await runNetdiag(target, ["__complete", "ht"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").filter(Boolean).sort(), ["htonl", "htons"]);
  });

  test(`[${target}] __complete proposes flags and values, with briefs on --describe`, async () => {
    const flags = await runNetdiag(target, ["__complete", "--describe", "--", "pton", "--fa"]);
    assert.match(flags.stdout, /^--family\t.+$/m);
    const values = await runNetdiag(target, ["__complete", "--", "completions", ""]);
    const words = values.stdout.split("\n").filter((w) => w && !w.startsWith("-"));
    assert.deepEqual(words, ["bash", "zsh", "fish"]);
  });

  test(`[${target}] __complete asks for file names where a command takes files`, async () => {
    const lines = async (...words: string[]) =>
      (await runNetdiag(target, ["__complete", "--", ...words])).stdout.split("\n").filter(Boolean);
    assert.deepEqual(await lines("send", "rep"), [":files"]);
    assert.deepEqual(await lines("dns", "-f", ""), [":files"]);
    assert.deepEqual(await lines("resolve", "--hosts-file", "/et"), [":files"]);
    assert.deepEqual(await lines("connect", "--unix", "./"), [":files"]);
    assert.deepEqual(await lines("receive", "--dir", "inc"), [":dirs"]);
    assert.deepEqual(await lines("htons", "8"), []);
  });

  test(`[${target}] __complete proposes record types after dns NAME, not before`, async () => {
    const words = async (...w: string[]) =>
      (await runNetdiag(target, ["__complete", "--", ...w])).stdout.split("\n")
        .filter((l) => l && !l.startsWith("-"));
    assert.deepEqual(await words("dns", ""), []);
    assert.deepEqual(await words("dns", "--server", "127.0.0.1", "example.com", "MX", "S"), [
      "SRV",
      "SOA",
    ]);
    assert.deepEqual(await words("dns", "example.com", "aa"), ["aaaa"]);
  });

  test(`[${target}] __complete proposes ports after HOST: as each target takes them`, async () => {
    const words = async (...w: string[]) =>
      (await runNetdiag(target, ["__complete", "--", ...w])).stdout.split("\n").filter(Boolean);
    assert.deepEqual(await words("probe", "localhost:ss"), ["localhost:ssh"]);
    assert.deepEqual(await words("probe", "[::1]:ssh"), ["[::1]:ssh"]);
    assert.deepEqual(await words("send", "a.bin", "127.0.0.1:808"), [
      "127.0.0.1:8080",
      "127.0.0.1:8081",
      "127.0.0.1:8088",
    ]);
    assert.deepEqual(await words("echo", "test", "localhost:ht"), []);
    assert.deepEqual(await words("probe", "-p", "22,ss"), ["22,ssh"]);
  });

  test(`[${target}] __complete is hidden from --help and from proposals`, async () => {
    const help = await runNetdiag(target, ["--help"]);
    assert.equal(help.stdout.includes("__complete"), false);
    const all = await runNetdiag(target, ["__complete", "--", ""]);
    const proposals = all.stdout.split("\n");
    assert.ok(proposals.includes("completions") && proposals.includes("aton"), all.stdout);
    assert.equal(proposals.includes("__complete"), false);
  });

  test(`[${target}] the bash script passes bash -n and completes through netdiag`, async () => {
    const r = await runNetdiag(target, ["completions", "bash"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(spawnSync("bash", ["-n"], { input: r.stdout }).status, 0);
    // Run the completion function as bash would, with a wrapper that starts this target.
    const dir = mkdtempSync(join(tmpdir(), "netdiag-complete-"));
    try {
      const [cmd, argv] = commandLine(target, []);
      const wrapper = join(dir, "netdiag");
      writeFileSync(wrapper, `#!/bin/sh\nexec ${[cmd, ...argv].map(shQuote).join(" ")} "$@"\n`);
      chmodSync(wrapper, 0o755);
      const script = `${r.stdout}\nCOMP_WORDS=(${shQuote(wrapper)} ser)\nCOMP_CWORD=1\n` +
        `COMP_LINE=${shQuote(`${wrapper} ser`)}\nCOMP_POINT=\${#COMP_LINE}\n` +
        `_netdiag_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
      const b = spawnSync("bash", ["-c", script], {
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      });
      assert.equal(b.status, 0, b.stderr);
      assert.equal(b.stdout, "service\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] the zsh and fish scripts are well-formed`, async () => {
    const zsh = await runNetdiag(target, ["completions", "zsh"]);
    assert.match(zsh.stdout, /^#compdef netdiag\n/);
    assert.match(zsh.stdout, /__complete --describe --/);
    assert.match(zsh.stdout, /_describe /);
    if (have("zsh")) assert.equal(spawnSync("zsh", ["-n"], { input: zsh.stdout }).status, 0);
    const fish = await runNetdiag(target, ["completions", "fish"]);
    assert.match(fish.stdout, /__complete --describe --/);
    assert.match(fish.stdout, /^complete -c netdiag -f -a '\(__netdiag_complete\)'$/m);
    // Balanced blocks: one `end` per `function`.
    assert.equal(
      (fish.stdout.match(/^function /gm) ?? []).length,
      (fish.stdout.match(/^end$/gm) ?? []).length,
    );
    if (have("fish")) {
      assert.equal(spawnSync("fish", ["--no-execute"], { input: fish.stdout }).status, 0);
    }
  });

  test(`[${target}] completions with an unknown shell exits 2`, async () => {
    const r = await runNetdiag(target, ["completions", "tcsh"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tcsh/);
  });
}

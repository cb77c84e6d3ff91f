/**
 * Help on both targets (issue 14): every command's help fits 80 columns when stdout is no
 * terminal and COLUMNS is unset, booleans read `--x`, `--debug` is documented, `help [CMD]` is
 * `CMD --help`, `version` is `--version`, aliases resolve and unknown names get suggestions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CommandContext, RouteMap } from "@stricli/core";
import { root } from "../../lib/cli/app.ts";
import { formatHelp } from "../../lib/cli/help.ts";
import { wrap } from "../../lib/cli/help_layout.ts";
import { runNetdiag, targets } from "../support/cli.ts";

/** Every visible command's name path (`["echo", "serve"]`), and every route map's. */
function commandPaths(map: RouteMap<CommandContext>, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const entry of map.getAllEntries()) {
    if (entry.hidden) continue;
    const path = [...prefix, entry.name["convert-camel-to-kebab"]];
    out.push(path);
    if ("getAllEntries" in entry.target) {
      out.push(...commandPaths(entry.target as RouteMap<CommandContext>, path));
    }
  }
  return out;
}

const NO_COLUMNS = { env: { COLUMNS: "" } };

test("wrap() breaks at spaces only: a word longer than the width stands alone, unbroken", () => {
  assert.deepEqual(wrap("aa bb cc", 5), ["aa bb", "cc"]);
  const long = "x".repeat(12);
  assert.deepEqual(wrap(`a ${long} b`, 6, "  ", ""), ["a", `  ${long}`, "  b"]);
});

test("formatHelp() keeps every command's help within the width it is given", () => {
  for (const path of commandPaths(root as RouteMap<CommandContext>)) {
    let target = root as RouteMap<CommandContext> | unknown;
    for (const name of path) {
      target = (target as RouteMap<CommandContext>).getRoutingTargetForInput(name);
    }
    const text = formatHelp(target as RouteMap<CommandContext>, ["netdiag", ...path], 60);
    for (const line of text.split("\n")) {
      // Only a single word longer than the width may overflow (it is never broken).
      if (line.length > 60) assert.doesNotMatch(line.trim(), / /, `${path.join(" ")}: ${line}`);
    }
  }
});

for (const target of targets()) {
  test(`[${target}] every command's help fits 80 columns, shows --debug and no --x/--no-x`, async () => {
    for (const path of [[], ...commandPaths(root as RouteMap<CommandContext>)]) {
      const r = await runNetdiag(target, [...path, "--help"], NO_COLUMNS);
      const name = ["netdiag", ...path].join(" ");
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      for (const line of r.stdout.split("\n")) {
        assert.ok(line.length <= 80, `${name}: ${line.length} columns: ${line}`);
      }
      assert.match(r.stdout, /^ {6}--debug {2,}Show the stack trace/m, name);
      assert.doesNotMatch(r.stdout, /\[--[a-z-]+\/--no-/, name);
      assert.match(r.stdout, /^USAGE\n {2}netdiag /, name);
    }
  });

  test(`[${target}] help wraps to COLUMNS when it is set (60 here)`, async () => {
    const r = await runNetdiag(target, ["probe", "--help"], { env: { COLUMNS: "60" } });
    assert.equal(r.code, 0, r.stderr);
    const widest = Math.max(...r.stdout.split("\n").map((l) => l.length));
    assert.ok(widest <= 60, `widest line ${widest} columns`);
    assert.ok(widest > 40, `widest line ${widest} columns: COLUMNS was not read`);
  });

  test(`[${target}] help groups flags and wraps the probe usage line`, async () => {
    const r = await runNetdiag(target, ["probe", "--help"], NO_COLUMNS);
    for (const title of ["TIMING FLAGS", "OUTPUT FLAGS", "CONNECTION FLAGS", "GLOBAL FLAGS"]) {
      assert.match(r.stdout, new RegExp(`^${title}$`, "m"), title);
    }
    const usage = r.stdout.split("\n\n")[0].split("\n");
    assert.ok(usage.length > 3, usage.join("\n"));
    assert.match(r.stdout, /^ {2}-u, --udp {2,}Probe UDP/m);
    assert.match(r.stdout, /--no-FLAG/);
  });

  test(`[${target}] netdiag help [CMD] prints CMD --help; help echo serve works`, async () => {
    for (const path of [[], ["probe"], ["echo"], ["echo", "serve"]]) {
      const viaHelp = await runNetdiag(target, ["help", ...path], NO_COLUMNS);
      const viaFlag = await runNetdiag(target, [...path, "--help"], NO_COLUMNS);
      assert.equal(viaHelp.code, 0, viaHelp.stderr);
      assert.equal(viaHelp.stdout, viaFlag.stdout, path.join(" "));
    }
    const bad = await runNetdiag(target, ["help", "htns"]);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      'netdiag: unknown command "htns": did you mean "htons"? (see netdiag --help)\n',
    );
  });

  test(`[${target}] netdiag version is --version, with --json`, async () => {
    const line = await runNetdiag(target, ["version"]);
    const flag = await runNetdiag(target, ["--version"]);
    assert.equal(line.code, 0);
    assert.equal(line.stdout, flag.stdout);
    const json = await runNetdiag(target, ["version", "--json"]);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).name, "netdiag");
  });

  test(`[${target}] aliases resolve to their command and are listed once in --help`, async () => {
    for (const [alias, command] of [["scan", "probe"], ["nc", "connect"], ["dig", "dns"]]) {
      const a = await runNetdiag(target, [alias, "--help"], NO_COLUMNS);
      const c = await runNetdiag(target, [command, "--help"], NO_COLUMNS);
      assert.equal(a.stdout, c.stdout, alias);
    }
    const help = await runNetdiag(target, ["--help"], NO_COLUMNS);
    assert.match(help.stdout, /^ALIASES\n {2}scan → probe; nc, ncat, netcat → connect; dig/m);
    const run = await runNetdiag(target, ["nc", "--unix", ""]);
    assert.equal(run.stderr, 'netdiag: invalid Unix socket path "": empty\n');
  });

  test(`[${target}] unknown names get synonyms, not only the nearest spellings`, async () => {
    const cases: [string, string][] = [
      ["lookup", '"resolve" or "dns"'],
      ["telnet", '"connect"'],
      ["serve", '"echo serve" or "listen"'],
      ["nmap", '"probe"'],
      ["hlep", '"help"'],
    ];
    for (const [input, suggestion] of cases) {
      const r = await runNetdiag(target, [input]);
      assert.equal(r.code, 2, input);
      assert.equal(
        r.stderr,
        `netdiag: unknown command "${input}": did you mean ${suggestion}? (see netdiag --help)\n`,
      );
    }
    const whois = await runNetdiag(target, ["whois"]);
    assert.equal(whois.code, 2);
    assert.doesNotMatch(whois.stderr, /did you mean/);
  });
}

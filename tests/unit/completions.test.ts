import { test } from "node:test";
import assert from "node:assert/strict";
import { completionScript, formatProposals, SHELLS } from "../../lib/core/completion_scripts.ts";
import { operandsBefore } from "../../lib/cli/commands/completions/operands.ts";
import {
  beginCompletion,
  completionDirective,
  proposeDirectories,
  proposeDnsOperand,
  proposeFiles,
  proposePortList,
  proposePorts,
} from "../../lib/cli/commands/completions/propose.ts";

test("every completion script asks `netdiag __complete` for proposals", () => {
  for (const shell of SHELLS) {
    const script = completionScript(shell);
    assert.match(script, /__complete --?/, shell);
    assert.ok(script.endsWith("\n"), shell);
  }
  assert.match(completionScript("bash"), /^complete -F _netdiag_complete netdiag$/m);
  assert.match(completionScript("zsh"), /^#compdef netdiag$/m);
  assert.match(completionScript("fish"), /^complete -c netdiag /m);
});

test("formatProposals() prints one per line, with a tab and the brief's first line when describing", () => {
  const proposals = [
    { completion: "htons", brief: "Convert 16-bit values\nmore" },
    { completion: "--json", brief: "" },
  ];
  assert.equal(formatProposals(proposals, false), "htons\n--json\n");
  assert.equal(formatProposals(proposals, true), "htons\tConvert 16-bit values\n--json\n");
});

test("every script falls back to the shell's file completion on :files and :dirs", () => {
  assert.match(completionScript("bash"), /compgen -f -- "\$cur"/);
  assert.match(completionScript("bash"), /compgen -d -- "\$cur"/);
  assert.match(completionScript("zsh"), /_files -\//);
  assert.match(completionScript("fish"), /__fish_complete_path "\$current"/);
  assert.match(completionScript("fish"), /__fish_complete_directories "\$current"/);
});

test("operandsBefore() skips route names, flags and their values, and the word being typed", () => {
  const root = {
    getRoutingTargetForInput: (name: string) =>
      name === "dns"
        ? {
          parameters: {
            flags: { server: { kind: "parsed" }, tcp: { kind: "boolean" } },
            aliases: { s: "server" },
          },
        }
        : undefined,
  };
  const words = ["dns", "--server", "1.1.1.1", "--tcp", "-s", "x", "--server=y", "a.test", "M"];
  assert.deepEqual(operandsBefore(root, ["dns"], words), ["a.test"]);
  assert.deepEqual(operandsBefore(root, ["dns"], ["dns", "--", "--tcp", ""]), ["--tcp"]);
  assert.deepEqual(operandsBefore(root, ["nope"], ["nope", "a", ""]), []);
});

test("proposeDnsOperand() proposes record types only after NAME, in the case typed", () => {
  const context = {};
  beginCompletion(context, []);
  assert.deepEqual(proposeDnsOperand.call(context, ""), []);
  beginCompletion(context, ["example.com"]);
  assert.ok(proposeDnsOperand.call(context, "").includes("AAAA"));
  assert.ok(proposeDnsOperand.call(context, "mx").includes("mx"));
});

test("proposeFiles() and proposeDirectories() leave a directive, files winning", () => {
  const context = {};
  beginCompletion(context, []);
  assert.equal(completionDirective(context), undefined);
  assert.deepEqual(proposeDirectories.call(context), []);
  assert.equal(completionDirective(context), ":dirs");
  proposeFiles.call(context);
  proposeDirectories.call(context);
  assert.equal(completionDirective(context), ":files");
  // Outside `__complete` (no state): nothing is recorded, nothing thrown.
  assert.deepEqual(proposeFiles.call({}), []);
});

test("proposePorts() completes HOST:PORT with numbers, or names where the target takes them", async () => {
  assert.deepEqual(await proposePorts("localhost:ss", true), ["localhost:ssh"]);
  assert.deepEqual(await proposePorts("localhost:ss", false), []);
  assert.ok((await proposePorts("[::1]:44", false)).includes("[::1]:443"));
  assert.ok((await proposePorts("h:", true)).includes("h:http"));
  assert.deepEqual(await proposePorts("no-colon", true), []);
  assert.deepEqual(await proposePorts("/path:x", true), []);
  assert.deepEqual(await proposePortList.call({}, "22,ss"), ["22,ssh"]);
});

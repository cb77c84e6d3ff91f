import { test } from "node:test";
import assert from "node:assert/strict";
import { completionScript, formatProposals, SHELLS } from "../../lib/core/completion_scripts.ts";

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

import { test } from "node:test";
import assert from "node:assert/strict";
import { checkConflicts, conflictsHelp, JSON_NDJSON } from "../../lib/cli/flag_conflicts.ts";
import { InputError } from "../../lib/core/errors.ts";

test("checkConflicts() refuses two given flags of one conflict, naming them in kebab case", () => {
  const rules = [JSON_NDJSON, { flags: ["idleTimeout", "once"], reason: "--once ends first" }];
  assert.throws(
    () => checkConflicts({ json: true, ndjson: true }, rules),
    (e) =>
      e instanceof InputError &&
      e.message === 'conflicting flags "--json" and "--ndjson": choose one',
  );
  assert.throws(
    () => checkConflicts({ idleTimeout: 5, once: true }, rules),
    /conflicting flags "--idle-timeout" and "--once": --once ends first/,
  );
});

test("checkConflicts() lets one flag of a conflict through, and false or undefined count as not given", () => {
  checkConflicts({ json: true, ndjson: false }, [JSON_NDJSON]);
  checkConflicts({ json: undefined, ndjson: true }, [JSON_NDJSON]);
  checkConflicts({}, [JSON_NDJSON]);
});

test("conflictsHelp() lists the conflicts for --help, or nothing", () => {
  assert.equal(conflictsHelp([]), "");
  assert.equal(
    conflictsHelp([JSON_NDJSON, { flags: ["tcp", "udp"], reason: "one socket kind" }]),
    "Flags that exclude each other: --json / --ndjson; --tcp / --udp (one socket kind).",
  );
});

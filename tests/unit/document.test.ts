import { test } from "node:test";
import assert from "node:assert/strict";
import {
  errorDocument,
  errorLine,
  resultDocument,
  resultLine,
  summaryLine,
} from "../../lib/output/document.ts";

test("resultDocument() is ok exactly when the exit code is 0, and marks an interruption", () => {
  assert.deepEqual(resultDocument("probe", 0, { probes: 1 }, [{ state: "open" }]), {
    command: "probe",
    ok: true,
    exitCode: 0,
    summary: { probes: 1 },
    results: [{ state: "open" }],
  });
  const stopped = resultDocument("probe", 130, {}, [], { interrupted: true });
  assert.equal(stopped.ok, false);
  assert.equal(stopped.interrupted, true);
});

test("errorDocument() names the kind from the exit code; an interrupted one is marked interrupted", () => {
  assert.equal(errorDocument("service", 1, "not found").error?.kind, "negative");
  assert.equal(errorDocument("htons", 2, "bad").error?.kind, "usage");
  assert.equal(errorDocument("dns", 3, "timed out").error?.kind, "failure");
  assert.equal(errorDocument("dns", 3, "timed out").interrupted, undefined);
  const stopped = errorDocument("send", 130, "interrupted");
  assert.equal(stopped.error?.kind, "interrupted");
  assert.equal(stopped.interrupted, true);
});

test("NDJSON lines each carry a type: result, summary or error", () => {
  assert.deepEqual(resultLine({ a: 1 }), { type: "result", a: 1 });
  assert.equal(summaryLine("probe", 1, {}).type, "summary");
  assert.equal(summaryLine("probe", 1, {}).ok, false);
  assert.equal(errorLine("probe", 2, "bad").type, "error");
});

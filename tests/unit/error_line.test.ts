import { test } from "node:test";
import assert from "node:assert/strict";
import { OperationalError } from "../../lib/core/errors.ts";
import { errorLine } from "../../lib/cli/text.ts";
import { rawControl } from "../support/output_checks.ts";

test("errorLine() escapes controls a message still carries, so it stays one safe line", () => {
  // A runtime's message or an address JSON.stringify quoted (which leaves bidi marks raw).
  const cases: [unknown, string][] = [
    [
      new OperationalError('cannot connect to "a\u202eb": refused'),
      'netdiag: cannot connect to "a\\u{202e}b": refused',
    ],
    [new Error("boom\x1b[2J\nat line 2"), "netdiag: unexpected error: boom\\e[2J (run with"],
    ["a\x9bb", "netdiag: unexpected error: a\\x9bb"],
  ];
  for (const [error, start] of cases) {
    const line = errorLine(error);
    assert.equal(rawControl(line), undefined, line);
    assert.ok(!line.includes("\n"), line);
    assert.ok(line.startsWith(start), line);
  }
});

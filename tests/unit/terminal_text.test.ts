import { test } from "node:test";
import assert from "node:assert/strict";
import {
  escapeTerminal,
  hasTerminalControls,
  quoteForTerminal,
} from "../../lib/core/terminal_text.ts";
import { quote } from "../../lib/core/errors.ts";

test("escapeTerminal() writes ESC, BEL, newlines, C1 and bidi marks as visible escapes", () => {
  assert.equal(escapeTerminal("a\x1b]0;pwned\x07b"), "a\\e]0;pwned\\x07b");
  assert.equal(escapeTerminal("x\ny\r"), "x\\ny\\r");
  assert.equal(escapeTerminal("\x85\x9b2J"), "\\x85\\x9b2J");
  assert.equal(escapeTerminal("evil\u202etxt.exe"), "evil\\u{202e}txt.exe");
  assert.equal(
    escapeTerminal("\u2066\u2069\u200f\ufeff\x7f"),
    "\\u{2066}\\u{2069}\\u{200f}\\u{feff}\\x7f",
  );
});

test("escapeTerminal() leaves printable text, tabs and other Unicode alone", () => {
  for (const s of ["plain", "tab\there", "é✓ 日本 ☃", "", "\u00a0nbsp"]) {
    assert.equal(escapeTerminal(s), s);
    assert.equal(hasTerminalControls(s), false);
  }
  assert.equal(hasTerminalControls("a\x1bb"), true);
  assert.equal(hasTerminalControls("a\u202eb"), true);
});

test("quote() escapes what JSON.stringify leaves raw, so a quoted value never reaches a terminal raw", () => {
  assert.equal(quote("a\u202eb"), '"a\\u202eb"');
  assert.equal(quote("\x9b\x1b"), '"\\u009b\\u001b"');
  assert.equal(quoteForTerminal("127.0.0.1:22"), '"127.0.0.1:22"');
  for (let c = 0; c < 0x3000; c++) {
    const q = quote(String.fromCharCode(c));
    assert.equal(hasTerminalControls(q), false, `U+${c.toString(16)} came out raw`);
  }
});

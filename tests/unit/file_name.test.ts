import { test } from "node:test";
import assert from "node:assert/strict";
import {
  isSafeFileName,
  isTempFileName,
  tempFileName,
  unsafeFileNameReason,
} from "../../lib/core/file_name.ts";

test("unsafeFileNameReason() accepts plain names, dots and spaces inside", () => {
  for (
    const name of ["report.pdf", "a b.txt", ".hidden", "..x", "x..", "résumé.txt", "a".repeat(255)]
  ) {
    assert.equal(unsafeFileNameReason(name), undefined, name);
  }
});

test("unsafeFileNameReason() refuses traversal and absolute paths", () => {
  for (const name of ["../x", "/etc/passwd", "a/../../b", "a\\b", "..\\x", "x/"]) {
    assert.equal(unsafeFileNameReason(name), "contains a path separator", name);
  }
});

test("unsafeFileNameReason() refuses . and .. and the empty name", () => {
  assert.equal(unsafeFileNameReason("."), "not a file name");
  assert.equal(unsafeFileNameReason(".."), "not a file name");
  assert.equal(unsafeFileNameReason(""), "empty name");
});

test("unsafeFileNameReason() refuses NUL and control characters", () => {
  assert.equal(unsafeFileNameReason("a\0b"), "contains a NUL character");
  assert.equal(unsafeFileNameReason("a\nb"), "contains a control character (U+000A)");
  assert.equal(unsafeFileNameReason("a\tb"), "contains a control character (U+0009)");
  assert.equal(unsafeFileNameReason("a\x1b[31m"), "contains a control character (U+001B)");
  assert.equal(unsafeFileNameReason("a\x7fb"), "contains a control character (U+007F)");
});

test("unsafeFileNameReason() refuses C1 controls, naming the code point", () => {
  for (const code of [0x80, 0x85, 0x9b, 0x9d, 0x9f]) {
    const name = `a${String.fromCharCode(code)}b.txt`;
    const hex = code.toString(16).toUpperCase();
    assert.equal(unsafeFileNameReason(name), `contains a control character (U+00${hex})`, hex);
  }
  assert.equal(unsafeFileNameReason("caf\u00e9\u00a0x"), undefined, "U+00A0 and é are fine");
});

test("unsafeFileNameReason() refuses bidi marks, line separators and the BOM", () => {
  const codes = [
    0x200e,
    0x200f,
    0x202a,
    0x202b,
    0x202c,
    0x202d,
    0x202e,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0x2028,
    0x2029,
    0xfeff,
  ];
  for (const code of codes) {
    const name = `invoice${String.fromCharCode(code)}fdp.exe`;
    const hex = code.toString(16).toUpperCase();
    assert.equal(
      unsafeFileNameReason(name),
      `contains an invisible formatting character (U+${hex})`,
      hex,
    );
  }
  assert.equal(unsafeFileNameReason("a\u200bb"), undefined, "a zero-width space is not in the set");
});

test("unsafeFileNameReason() bounds the length in UTF-8 bytes, not characters", () => {
  assert.match(unsafeFileNameReason("a".repeat(300))!, /too long \(300 bytes, at most 255\)/);
  assert.match(unsafeFileNameReason("é".repeat(128))!, /too long \(256 bytes/);
});

test("unsafeFileNameReason() refuses names that look like receive's temporary files", () => {
  assert.match(unsafeFileNameReason(".netdiag-0011.part")!, /reserved prefix/);
  assert.equal(isSafeFileName(".netdiag-0011.part"), false);
  assert.equal(isSafeFileName("ok.txt"), true);
});

test("isTempFileName() matches only the prefix, 16 lowercase hex digits and .part", () => {
  assert.equal(tempFileName("0123456789abcdef"), ".netdiag-0123456789abcdef.part");
  assert.equal(isTempFileName(".netdiag-0123456789abcdef.part"), true);
  for (
    const name of [
      ".netdiag-0123456789abcde.part",
      ".netdiag-0123456789abcdef0.part",
      ".netdiag-0123456789ABCDEF.part",
      ".netdiag-0123456789abcdef.part.bak",
      "x.netdiag-0123456789abcdef.part",
      ".netdiag-0123456789abcdeg.part",
      ".netdiag-0123456789abcdef.parts",
    ]
  ) {
    assert.equal(isTempFileName(name), false, name);
  }
});

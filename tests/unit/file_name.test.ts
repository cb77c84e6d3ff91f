import { test } from "node:test";
import assert from "node:assert/strict";
import { isSafeFileName, unsafeFileNameReason } from "../../lib/core/file_name.ts";

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
  assert.equal(unsafeFileNameReason("a\nb"), "contains a control character");
  assert.equal(unsafeFileNameReason("a\x1b[31m"), "contains a control character");
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

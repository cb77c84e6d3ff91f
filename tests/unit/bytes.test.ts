import { test } from "node:test";
import assert from "node:assert/strict";
import { concatBytes } from "../../lib/core/bytes.ts";

test("concatBytes() joins parts end to end, empty parts included", () => {
  const joined = concatBytes([new Uint8Array([1, 2]), new Uint8Array(), new Uint8Array([3])]);
  assert.deepEqual([...joined], [1, 2, 3]);
  assert.equal(concatBytes([]).length, 0);
});

test("concatBytes() returns a single part itself, without copying", () => {
  const only = new Uint8Array([9, 8]);
  assert.equal(concatBytes([only]), only);
});

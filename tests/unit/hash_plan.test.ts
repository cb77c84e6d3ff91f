import { test } from "node:test";
import assert from "node:assert/strict";
import { filesToHashFirst } from "../../lib/core/hash_plan.ts";

test("filesToHashFirst() hashes only the first file when no later one is larger than it", () => {
  assert.equal(filesToHashFirst([]), 0);
  assert.equal(filesToHashFirst([5]), 1);
  assert.equal(filesToHashFirst([10, 10, 5]), 1);
  assert.equal(filesToHashFirst([0, 0]), 1);
});

test("filesToHashFirst() hashes ahead until the hashed bytes cover the largest file left", () => {
  assert.equal(filesToHashFirst([1, 1000, 10]), 2);
  assert.equal(filesToHashFirst([1, 2, 4, 8]), 4);
  assert.equal(filesToHashFirst([3, 3, 5, 1]), 2);
  assert.equal(filesToHashFirst([100, 1, 1, 150]), 4);
  assert.equal(filesToHashFirst([100, 1, 1, 102]), 3);
});

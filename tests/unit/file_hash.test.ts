import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hasher, HashStopped } from "../../lib/transfer/file_hash.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

test("Hasher hashes files in order, past one that cannot be read, and stops when told", async () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-hash-"));
  try {
    const a = new Uint8Array(600 * 1024).map((_, i) => i % 251);
    writeFileSync(join(dir, "a"), a);
    writeFileSync(join(dir, "c"), "");
    const started: number[] = [];
    const hasher = new Hasher(
      [join(dir, "a"), join(dir, "missing"), join(dir, "c")],
      (i) => started.push(i),
    );
    assert.deepEqual(await hasher.result(0), { size: a.length, sha256: sha256(a) });
    await assert.rejects(hasher.result(1), { code: "ENOENT" });
    assert.deepEqual(await hasher.result(2), { size: 0, sha256: sha256(new Uint8Array()) });
    assert.deepEqual(started, [0, 1, 2]);

    const stopped = new Hasher([join(dir, "a"), join(dir, "c")]);
    stopped.stop();
    await assert.rejects(stopped.result(0), HashStopped);
    await assert.rejects(stopped.result(1), HashStopped);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

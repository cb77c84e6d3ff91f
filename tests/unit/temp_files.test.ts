import { test } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reapTempFiles } from "../../lib/transfer/temp_files.ts";

test("reapTempFiles() removes only regular files named like receive's own, never following links", async () => {
  const base = mkdtempSync(join(tmpdir(), "netdiag-reap-"));
  try {
    const dir = join(base, "in");
    mkdirSync(dir);
    const ours = [".netdiag-0123456789abcdef.part", ".netdiag-ffffffffffffffff.part"];
    for (const name of ours) writeFileSync(join(dir, name), "partial");
    const outside = join(base, "outside.txt");
    writeFileSync(outside, "keep");
    symlinkSync(outside, join(dir, ".netdiag-1111111111111111.part"));
    mkdirSync(join(dir, ".netdiag-2222222222222222.part"));
    writeFileSync(
      join(dir, ".netdiag-2222222222222222.part", ".netdiag-3333333333333333.part"),
      "",
    );
    const kept = ["report.pdf", ".netdiag-short.part", ".netdiag-0123456789ABCDEF.part"];
    for (const name of kept) writeFileSync(join(dir, name), "x");
    // Next to DIR, not in it: never touched.
    writeFileSync(join(base, ".netdiag-4444444444444444.part"), "");

    const reaped = await reapTempFiles(dir);

    assert.deepEqual(reaped, { removed: 2, failures: [] });
    for (const name of ours) assert.equal(existsSync(join(dir, name)), false, name);
    assert.ok(lstatSync(join(dir, ".netdiag-1111111111111111.part")).isSymbolicLink());
    assert.equal(readFileSync(outside, "utf8"), "keep");
    assert.deepEqual(readdirSync(join(dir, ".netdiag-2222222222222222.part")), [
      ".netdiag-3333333333333333.part",
    ]);
    for (const name of kept) assert.equal(existsSync(join(dir, name)), true, name);
    assert.equal(existsSync(join(base, ".netdiag-4444444444444444.part")), true);
    assert.deepEqual(await reapTempFiles(dir), { removed: 0, failures: [] });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

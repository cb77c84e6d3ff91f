import { test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";

for (const target of targets()) {
  test(`[${target}] htons 20000 prints 8270 as CPython does on a little-endian host`, async () => {
    const r = await runNetdiag(target, ["htons", "20000"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "8270\n");
    assert.equal(r.stderr, "");
  });

  test(`[${target}] htonl and ntohl are inverse on 20000`, async () => {
    const a = await runNetdiag(target, ["htonl", "20000"]);
    assert.equal(a.stdout, "541982720\n");
    const b = await runNetdiag(target, ["ntohl", "541982720"]);
    assert.equal(b.stdout, "20000\n");
  });

  // --json=true: the full CLI (lib/cli/fast_path.ts answers the plain --json form).
  for (const json of ["--json", "--json=true"]) {
    test(`[${target}] htons ${json} prints the document: conversions and the host byte order`, async () => {
      const r = await runNetdiag(target, ["htons", "0x4e20", "1", json]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        command: "htons",
        ok: true,
        exitCode: 0,
        summary: { bits: 16, hostByteOrder: "little" },
        results: [
          { input: 20000, output: 8270, outputHex: "0x204e" },
          { input: 1, output: 256, outputHex: "0x0100" },
        ],
      });
    });
  }

  for (const bad of ["70000", "-1", "1.5", "abc", ""]) {
    test(`[${target}] htons rejects ${JSON.stringify(bad)} with exit 2 and one line`, async () => {
      const r = await runNetdiag(target, ["htons", bad]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^netdiag: /);
      assert.ok(r.stderr.includes(JSON.stringify(bad)), r.stderr);
      assert.match(r.stderr, /0 to 65535/);
    });
  }

  test(`[${target}] an unknown command suggests the closest one and exits 2`, async () => {
    const r = await runNetdiag(target, ["htns", "1"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "htns": did you mean "htons"/);
  });

  test(`[${target}] an unknown flag suggests the closest one and exits 2`, async () => {
    const r = await runNetdiag(target, ["htons", "--jsn", "1"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--jsn.*did you mean --json/);
  });
}

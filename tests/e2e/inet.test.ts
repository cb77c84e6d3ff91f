import { test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";

for (const target of targets()) {
  const ok = async (args: string[], stdout: string) => {
    const r = await runNetdiag(target, args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, stdout);
    assert.equal(r.stderr, "");
  };

  test(`[${target}] aton accepts inet_aton shorthands and prints hex`, async () => {
    await ok(["aton", "127.1"], "7f000001\n");
    await ok(["aton", "010.0.0.1"], "08000001\n");
  });

  test(`[${target}] aton --bytes prints the Python bytes literal`, async () => {
    await ok(["aton", "0x7f.1", "--bytes"], "b'\\x7f\\x00\\x00\\x01'\n");
  });

  test(`[${target}] aton --json gives hex, bytes and the canonical address`, async () => {
    const r = await runNetdiag(target, ["aton", "10.1.2", "--json"]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), {
      command: "aton",
      ok: true,
      exitCode: 0,
      summary: {},
      results: [{
        family: 4,
        input: "10.1.2",
        hex: "0a010002",
        bytes: "b'\\n\\x01\\x00\\x02'",
        address: "10.1.0.2",
      }],
    });
  });

  test(`[${target}] ntoa and ntop print addresses from hex`, async () => {
    await ok(["ntoa", "7f:00:00:01"], "127.0.0.1\n");
    await ok(["ntop", "0x20010db8000000000000000000000001"], "2001:db8::1\n");
    await ok(["ntop", "00000000000000000000ffffc0000201"], "::ffff:192.0.2.1\n");
  });

  test(`[${target}] pton infers the family and --family forces it`, async () => {
    await ok(["pton", "::1"], "00000000000000000000000000000001\n");
    await ok(["pton", "192.0.2.1", "--bytes"], "b'\\xc0\\x00\\x02\\x01'\n");
    const r = await runNetdiag(target, ["pton", "--family", "inet6", "1.2.3.4"]);
    assert.equal(r.code, 2);
  });

  test(`[${target}] ntop --json reports the family as 4 or 6`, async () => {
    const r = await runNetdiag(target, ["ntop", "7f000001", "--json"]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), {
      command: "ntop",
      ok: true,
      exitCode: 0,
      summary: {},
      results: [{ family: 4, input: "7f000001", hex: "7f000001", address: "127.0.0.1" }],
    });
  });

  test(`[${target}] pton --json of bad text prints a usage document and exits 2`, async () => {
    const r = await runNetdiag(target, ["pton", "1::2::3", "--json"]);
    assert.equal(r.code, 2);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.command, "pton");
    assert.equal(doc.ok, false);
    assert.equal(doc.error.kind, "usage");
    assert.match(doc.error.message, /invalid IPv6 address "1::2::3"/);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });

  const bad: [string[], string][] = [
    [["aton", "08.1"], "08.1"],
    [["pton", "01.2.3.4"], "01.2.3.4"],
    [["pton", "1::2::3"], "1::2::3"],
    [["ntoa", "7f0001"], "7f0001"],
    [["ntop", "7g000001"], "7g000001"],
    [["ntop", "--family", "inet6", "7f000001"], "7f000001"],
  ];
  for (const [args, value] of bad) {
    test(`[${target}] ${args.join(" ")} exits 2 with one line naming the value`, async () => {
      const r = await runNetdiag(target, args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^netdiag: /);
      assert.ok(r.stderr.includes(JSON.stringify(value)), r.stderr);
    });
  }
}

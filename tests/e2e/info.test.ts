import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { ROOT, runNetdiag, targets } from "../support/cli.ts";

const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
const hasLoopback6 = Object.values(networkInterfaces()).some((list) =>
  (list ?? []).some((a) => a.address === "::1")
);

for (const target of targets()) {
  test(`[${target}] info --json reports runtime, byte order, IPv6 and interfaces`, async () => {
    const r = await runNetdiag(target, ["info", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.command, "info");
    assert.equal(doc.ok, true);
    const { summary } = doc;
    assert.equal(summary.netdiag, version);
    assert.equal(summary.runtime.name, target === "deno" ? "deno" : "bun");
    assert.match(summary.runtime.version, /^\d+\.\d+\.\d+/);
    assert.equal(summary.hostByteOrder, "little");
    assert.equal(summary.ipv6.supported, hasLoopback6);
    const lo = doc.results.find((i: { address: string }) => i.address === "127.0.0.1");
    assert.equal(lo.family, 4);
    assert.equal(lo.cidr, "127.0.0.1/8");
    assert.equal(lo.internal, true);
    assert.equal(typeof lo.mac, "string");
  });

  test(`[${target}] info prints key lines and an interface table`, async () => {
    const r = await runNetdiag(target, ["info"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^byte-order +little-endian$/m);
    assert.match(r.stdout, /^interface +family +cidr +internal +mac$/m);
    assert.match(r.stdout, /^\S+ +IPv4 +127\.0\.0\.1\/8 +yes /m);
    assert.equal(r.stdout.includes("\x1b["), false);
  });
}

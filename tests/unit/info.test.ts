import { test } from "node:test";
import assert from "node:assert/strict";
import { buildInfo, type InfoInputs } from "../../lib/core/info.ts";
import { infoView } from "../../lib/output/views/info_view.ts";
import { plainStyle } from "../../lib/output/style.ts";

const lo = [
  {
    address: "127.0.0.1",
    netmask: "255.0.0.0",
    family: "IPv4",
    mac: "00:00:00:00:00:00",
    internal: true,
    cidr: "127.0.0.1/8",
  },
  {
    address: "::1",
    netmask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    family: "IPv6",
    mac: "00:00:00:00:00:00",
    internal: true,
    cidr: "::1/128",
    scopeid: 0,
  },
];
const eth0 = [
  {
    address: "192.0.2.2",
    netmask: "255.255.255.0",
    family: 4,
    mac: "02:fc:00:00:00:01",
    internal: false,
    cidr: "192.0.2.2/24",
  },
  {
    address: "fe80::1",
    netmask: "ffff:ffff:ffff:ffff::",
    family: 6,
    mac: "02:fc:00:00:00:01",
    internal: false,
    cidr: "fe80::1/64",
    scopeid: 2,
  },
];

const inputs = (interfaces: InfoInputs["interfaces"]): InfoInputs => ({
  version: "0.1.0",
  runtime: { name: "deno", version: "2.9.6" },
  platform: { os: "linux", arch: "x64" },
  hostByteOrder: "little",
  interfaces,
});

test("buildInfo() reports IPv6 support when ::1 is configured, and flattens interfaces", () => {
  const r = buildInfo(inputs({ lo, eth0 }));
  assert.deepEqual(r.ipv6, { supported: true, loopbackInterface: "lo", externalAddresses: 1 });
  assert.deepEqual(r.interfaces.map((i) => `${i.name} ${i.family} ${i.cidr}`), [
    "lo IPv4 127.0.0.1/8",
    "lo IPv6 ::1/128",
    "eth0 IPv4 192.0.2.2/24",
    "eth0 IPv6 fe80::1/64",
  ]);
  assert.equal(r.interfaces[3].scopeid, 2);
  assert.equal("scopeid" in r.interfaces[0], false);
});

test("buildInfo() reports no IPv6 support without ::1", () => {
  const r = buildInfo(inputs({ lo: lo.slice(0, 1) }));
  assert.deepEqual(r.ipv6, { supported: false, loopbackInterface: null, externalAddresses: 0 });
});

test("infoView renders key lines and one table row per address", () => {
  const text = infoView.human(buildInfo(inputs({ lo, eth0 })), plainStyle);
  assert.match(text, /^netdiag +0\.1\.0$/m);
  assert.match(text, /^runtime +deno 2\.9\.6$/m);
  assert.match(text, /^byte-order +little-endian$/m);
  assert.match(text, /^ipv6 +yes \(::1 on lo; 1 external\)$/m);
  assert.match(text, /^eth0 +IPv6 +fe80::1\/64 +no +02:fc:00:00:00:01$/m);
  assert.equal(text.split("\n").filter((l) => /^(lo|eth0) /.test(l)).length, 4);
});

test("infoView's document: the machine in the summary, one result per address, family 4 or 6", () => {
  const parts = infoView.parts!(buildInfo(inputs({ lo, eth0 })));
  assert.deepEqual(Object.keys(parts.summary as object), [
    "netdiag",
    "runtime",
    "platform",
    "hostByteOrder",
    "ipv6",
  ]);
  const results = parts.results as { name: string; family: number; scopeid?: number }[];
  assert.deepEqual(results.map((i) => `${i.name} ${i.family}`), [
    "lo 4",
    "lo 6",
    "eth0 4",
    "eth0 6",
  ]);
  assert.equal(results[3].scopeid, 2);
  assert.equal(infoView.command, "info");
});

/**
 * The exporter's `--allow-target` entries, the host each prober reads from a target, loopback
 * detection for `--listen`, and the bound on concurrent probes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  hostAllowed,
  isLoopbackHost,
  parseAllowEntry,
  targetHost,
} from "../../lib/exporter/allow_list.ts";
import { probeGate } from "../../lib/exporter/server_gate.ts";

test("allow-target: CIDR blocks match IP literals of their family only", () => {
  const list = ["10.0.0.0/8", "192.168.1.7", "fd00::/8"].map(parseAllowEntry);
  assert.ok(hostAllowed(list, "10.200.3.4"));
  assert.ok(hostAllowed(list, "192.168.1.7"));
  assert.ok(!hostAllowed(list, "192.168.1.8"));
  assert.ok(hostAllowed(list, "fd12::1"));
  assert.ok(!hostAllowed(list, "fe80::1"));
  assert.ok(hostAllowed(list, "::ffff:10.1.2.3"), "IPv4-mapped IPv6 counts as IPv4");
  assert.ok(!hostAllowed(list, "ten.example"), "names are not resolved");
});

test("allow-target: host patterns match names, never IP literals", () => {
  const list = ["*.example.com", "db.internal"].map(parseAllowEntry);
  assert.ok(hostAllowed(list, "www.example.com"));
  assert.ok(hostAllowed(list, "A.B.EXAMPLE.COM."));
  assert.ok(!hostAllowed(list, "example.com"));
  assert.ok(!hostAllowed(list, "evilexample.com"));
  assert.ok(hostAllowed(list, "db.internal"));
  assert.ok(!hostAllowed(list, "db.internal.evil"));
  assert.ok(hostAllowed([parseAllowEntry("*")], "127.0.0.1"));
});

test("allow-target: bad entries are input errors naming the value", () => {
  for (const bad of ["10.0.0.0/33", "::/129", "a b", "http://x", "10.0.0.0/x", ""]) {
    assert.throws(() => parseAllowEntry(bad), (e: Error) => e.name === "InputError", bad);
  }
});

test("targetHost reads the target as each prober does", () => {
  assert.equal(targetHost("http", "https://www.example.com:8443/x?y"), "www.example.com");
  assert.equal(targetHost("http", "example.com/path"), "example.com");
  assert.equal(targetHost("http", "http://[::1]:80/"), "::1");
  assert.equal(targetHost("http", "http://"), undefined);
  assert.equal(targetHost("tcp", "10.0.0.1:22"), "10.0.0.1");
  assert.equal(targetHost("tcp", "[fd00::1]:22"), "fd00::1");
  assert.equal(targetHost("dns", "10.0.0.53"), "10.0.0.53");
  assert.equal(targetHost("dns", "ns.example:53"), "ns.example");
  assert.equal(targetHost("dns", "fd00::53"), "fd00::53");
  assert.equal(targetHost("tcp", ":22"), undefined);
});

test("isLoopbackHost: 127/8, ::1 and localhost only", () => {
  for (const h of ["127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) {
    assert.ok(isLoopbackHost(h), h);
  }
  for (const h of ["0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1"]) {
    assert.ok(!isLoopbackHost(h), h);
  }
});

test("probeGate: at most max at once; a waiter gets a released slot or gives up in time", async () => {
  const gate = probeGate({ max: 2, maxWaiting: 1 });
  assert.ok(await gate.acquire(10));
  assert.ok(await gate.acquire(10));
  const waiter = gate.acquire(5_000);
  assert.equal(await gate.acquire(5_000), false, "the queue is full: refused at once");
  gate.release();
  assert.equal(await waiter, true);
  assert.equal(gate.running, 2);
  const t0 = performance.now();
  assert.equal(await gate.acquire(30), false);
  assert.ok(performance.now() - t0 < 2_000);
  gate.release();
  gate.release();
  assert.equal(gate.running, 0);
});

/**
 * The name engines as a library (lib/resolve/mod.ts): typed results in the shared vocabulary,
 * batches with hooks, and AbortSignals that end a wait at once. DNS against scripted servers on
 * loopback, under every socket adapter the runtime can load.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname as osHostname, tmpdir } from "node:os";
import { InputError } from "../../lib/core/errors.ts";
import type { NetAdapter } from "../../lib/net/types.ts";
import {
  type DnsExchange,
  hostname,
  queryDns,
  queryDnsBatch,
  resolve,
  reverse,
} from "../../lib/resolve/mod.ts";
import { type FakeDns, startSilentServer, startZoneServer } from "../support/fake_dns.ts";
import { join } from "../support/paths.ts";

const adapters: NetAdapter[] = [(await import("../../lib/net/node.ts")).nodeAdapter];
if ("Deno" in globalThis) adapters.unshift((await import("../../lib/net/deno.ts")).denoAdapter);
if ("Bun" in globalThis) adapters.unshift((await import("../../lib/net/bun.ts")).bunAdapter);

const ZONE = {
  "host.test": { A: ["10.0.0.2"], AAAA: ["fd00::2"] },
  "v4.test": { A: ["10.0.0.4", "10.0.0.5"] },
};

describe("the resolve engine (lib/resolve)", () => {
  let zone: FakeDns;
  let silent: FakeDns;
  let dir: string;
  let hostsFile: string;

  before(async () => {
    zone = await startZoneServer(ZONE);
    silent = await startSilentServer();
    dir = await mkdtemp(join(tmpdir(), "netdiag-resolve-engine-"));
    hostsFile = join(dir, "hosts");
    await writeFile(hostsFile, "# test\n127.0.0.1 localhost loopback\n::1 localhost\n");
  });

  after(async () => {
    zone?.close();
    silent?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("resolve() answers localhost from the hosts file with the file and line", async () => {
    const batch = await resolve(undefined, { names: ["localhost"], source: "hosts", hostsFile });
    assert.equal(batch.interrupted, false);
    assert.deepEqual({ ...batch.summary, timeMs: 0 }, {
      count: 1,
      ok: 1,
      negative: 0,
      failed: 0,
      invalid: 0,
      timeMs: 0,
    });
    const [answer] = batch.results[0].answers;
    assert.equal(answer.source, "hosts");
    assert.equal(answer.from, `${hostsFile}:2,3`);
    assert.deepEqual(answer.addresses, [
      { address: "127.0.0.1", family: 4, line: 2 },
      { address: "::1", family: 6, line: 3 },
    ]);
    assert.equal(typeof batch.results[0].timeMs, "number");
  });

  test("resolve() answers localhost through getaddrinfo, -4 keeping IPv4", async () => {
    const batch = await resolve(undefined, { names: ["localhost"], family: 4 });
    const [answer] = batch.results[0].answers;
    assert.equal(answer.source, "system");
    assert.equal(answer.status, "ok", answer.reason);
    assert.ok(answer.addresses.every((a) => a.family === 4), JSON.stringify(answer));
    assert.ok(answer.addresses.some((a) => a.address === "127.0.0.1"));
  });

  test("resolve() streams results in input order and counts invalid names", async () => {
    const seen: string[] = [];
    const invalid: string[] = [];
    async function* names() {
      yield* ["v4.test", "nosuch.test", "", "host.test"];
    }
    const batch = await resolve(undefined, {
      names: names(),
      server: zone.server,
      concurrency: 2,
      keepResults: false,
    }, {
      onResult: (r) => seen.push(`${r.name} ${r.status}`),
      onInvalid: (input, message) => invalid.push(`${input}: ${message}`),
    });
    assert.deepEqual(seen, ["v4.test ok", "nosuch.test not-found", "host.test ok"]);
    assert.deepEqual(invalid, [': invalid name "": empty']);
    assert.deepEqual(batch.results, []);
    assert.deepEqual({ ...batch.summary, timeMs: 0 }, {
      count: 3,
      ok: 2,
      negative: 1,
      failed: 0,
      invalid: 1,
      timeMs: 0,
    });
  });

  test("resolve() stops waiting for more names when its signal aborts", async () => {
    const controller = new AbortController();
    async function* names() {
      yield "localhost";
      await new Promise(() => {}); // a stdin that never ends
    }
    const batch = await resolve(undefined, { names: names(), source: "hosts", hostsFile }, {
      onResult: () => setTimeout(() => controller.abort(), 20),
    }, controller.signal);
    assert.equal(batch.interrupted, true);
    assert.equal(batch.summary.count, 1);
    assert.equal(batch.results[0].status, "ok");
  });

  test("resolve() over DNS names the server as address, port and family", async () => {
    const { results } = await resolve(undefined, { names: ["host.test"], server: zone.server });
    const [answer] = results[0].answers;
    const port = Number(zone.server.split(":")[1]);
    assert.deepEqual(answer.server, { address: "127.0.0.1", port, family: 4 });
    assert.deepEqual(answer.addresses, [
      { address: "10.0.0.2", family: 4, ttl: 60 },
      { address: "fd00::2", family: 6, ttl: 60 },
    ]);
  });

  test("resolve() refuses a server with source hosts, and family 6 with mode first", async () => {
    await assert.rejects(
      resolve(undefined, { names: ["a.test"], server: zone.server, source: "hosts" }),
      (e) => e instanceof InputError && /source "hosts"/.test(e.message),
    );
    await assert.rejects(
      resolve(undefined, { names: ["a.test"], mode: "first", family: 6 }),
      InputError,
    );
  });

  test("reverse() answers 127.0.0.1 from the hosts file, gethostbyaddr's shape", async () => {
    const { results } = await reverse(undefined, {
      addresses: ["127.0.0.1"],
      source: "hosts",
      hostsFile,
    });
    assert.equal(results[0].family, 4);
    const [answer] = results[0].answers;
    assert.deepEqual([answer.hostname, answer.aliases, answer.addresses, answer.line], [
      "localhost",
      ["loopback"],
      [{ address: "127.0.0.1", family: 4 }],
      2,
    ]);
  });

  test("hostname() is gethostname, and getfqdn keeps a name when asked", async () => {
    assert.deepEqual(await hostname(), { hostname: osHostname() });
    const full = await hostname(undefined, { fqdn: true, timeoutMs: 2000 });
    assert.equal(full.hostname, osHostname());
    assert.ok(full.fqdn && full.gethostbyaddr?.query === osHostname());
  });

  for (const adapter of adapters) {
    test(`[${adapter.name}] queryDns() asks a local server: records, rcode, server, timing`, async () => {
      const exchanges = await queryDns(adapter, {
        name: "host.test",
        types: ["a", "AAAA", "MX"],
        server: zone.server,
        timeoutMs: 2000,
      });
      assert.deepEqual(exchanges.map((e) => [e.recordType, e.status, e.rcode]), [
        ["A", "NOERROR", "NOERROR"],
        ["AAAA", "NOERROR", "NOERROR"],
        ["MX", "NODATA", "NOERROR"],
      ]);
      const [a] = exchanges;
      assert.deepEqual(a.answers, [
        { name: "host.test", type: "A", ttl: 60, value: "10.0.0.2", data: "10.0.0.2" },
      ]);
      assert.equal(a.transport, "udp");
      assert.equal(a.server.address, "127.0.0.1");
      assert.equal(a.server.family, 4);
      assert.ok(a.timeMs >= 0 && a.timeMs < 2000, `${a.timeMs}`);
      const [nx] = await queryDns(adapter, { name: "nosuch.test", server: zone.server });
      assert.equal(nx.status, "NXDOMAIN");
      assert.deepEqual(nx.answers, []);
    });

    test(`[${adapter.name}] queryDns() ends at once when its signal aborts`, async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      await assert.rejects(
        queryDns(
          adapter,
          { name: "a.test", server: silent.server, timeoutMs: 5000 },
          {},
          controller.signal,
        ),
        (e: Error) => e.name === "AbortError",
      );
      const ms = performance.now() - started;
      assert.ok(ms < 2000, `took ${ms} ms`);
    });
  }

  test("queryDnsBatch() keeps input order, skips bad lines, stops when aborted", async () => {
    const results: DnsExchange[] = [];
    const bad: string[] = [];
    const batch = await queryDnsBatch(undefined, {
      queries: ["host.test A AAAA", "v4.test FOO", "nosuch.test"],
      server: zone.server,
    }, { onResult: (e) => results.push(e), onInvalid: (line) => bad.push(line) });
    assert.deepEqual(results.map((e) => `${e.name} ${e.recordType} ${e.status}`), [
      "host.test A NOERROR",
      "host.test AAAA NOERROR",
      "nosuch.test A NXDOMAIN",
    ]);
    assert.deepEqual(bad, ["v4.test FOO"]);
    assert.equal(batch.summary.invalid, 1);
    assert.equal(batch.summary.negative, 1);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const cut = await queryDnsBatch(
      undefined,
      {
        queries: Array.from({ length: 50 }, (_, i) => `n${i}.test`),
        server: silent.server,
        timeoutMs: 5000,
        concurrency: 4,
      },
      {},
      controller.signal,
    );
    const ms = performance.now() - started;
    assert.equal(cut.interrupted, true);
    assert.equal(cut.summary.count, 0);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DnsClient } from "../../lib/net/dns_client.ts";
import { NameService } from "../../lib/resolve/name_service.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type FakeDns, startRcodeServer, startSilentServer } from "../support/fake_dns.ts";

const endpoint = (server: string) => {
  const [hostname, port] = server.split(":");
  return { hostname, port: Number(port) };
};

describe("DnsClient over the runtime's socket adapter", () => {
  let dns: Dnsmasq;
  let servfail: FakeDns;
  let silent: FakeDns;
  let client: DnsClient;

  before(async () => {
    dns = await startDnsmasq(testZone());
    servfail = await startRcodeServer("SERVFAIL");
    silent = await startSilentServer();
    client = await DnsClient.open(endpoint(dns.server), { timeoutMs: 3000 });
  });

  after(async () => {
    client?.close();
    await dns?.stop();
    servfail?.close();
    silent?.close();
  });

  test("query() answers many concurrent queries, each with its own records", async () => {
    const names = ["host.test", "multi.test", "alias1.test", "nosuch.test", "mx.test"];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.query(names[i % names.length], "A")),
    );
    for (const [i, r] of results.entries()) {
      assert.equal(r.name, names[i % names.length]);
      const want = { 0: "NOERROR", 1: "NOERROR", 2: "NOERROR", 3: "NXDOMAIN", 4: "NODATA" }[
        i % names.length
      ];
      assert.equal(r.status, want, r.name);
    }
    // dnsmasq rotates the order of several records
    assert.deepEqual(results[1].answers.map((a) => a.data).sort(), ["10.0.0.3", "10.0.0.4"]);
  });

  test("query() keeps a two-string TXT record as one record", async () => {
    const r = await client.query("txt.test", "TXT");
    assert.equal(r.answers.length, 1);
    assert.deepEqual(r.answers[0].value, ["first string", "second string"]);
    assert.equal(r.answers[0].ttl, 300);
  });

  test("query() falls back to TCP when the UDP answer is truncated", async () => {
    const r = await client.query("big.test", "TXT");
    assert.equal(r.transport, "tcp");
    assert.equal(r.answers.length, 10);
  });

  test("query() reports SERVFAIL and a timeout as statuses, never as exceptions", async () => {
    const bad = await DnsClient.open(endpoint(servfail.server), { timeoutMs: 1000 });
    const quiet = await DnsClient.open(endpoint(silent.server), { timeoutMs: 300 });
    try {
      assert.equal((await bad.query("a.test", "A")).status, "SERVFAIL");
      const t = await quiet.query("a.test", "A");
      assert.equal(t.status, "TIMEOUT");
      assert.match(t.reason!, /no answer within 300 ms/);
    } finally {
      bad.close();
      quiet.close();
    }
  });

  test("NameService.resolve() follows the CNAME chain like gethostbyname_ex", async () => {
    const service = new NameService({ server: endpoint(dns.server), timeoutMs: 2000 });
    try {
      const item = await service.resolve("alias1.test", ["dns"], "ex");
      const a = item.answers[0];
      assert.deepEqual(
        [a.canonicalName, a.aliases, a.addresses.map((x) => x.address)],
        ["host.test", ["alias1.test", "alias2.test"], ["10.0.0.2"]],
      );
      const rev = await service.reverse("127.0.0.1", ["dns"]);
      assert.equal(rev.answers[0].hostname, "loopback-ptr.test");
    } finally {
      service.close();
    }
  });
});

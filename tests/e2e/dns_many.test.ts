/**
 * `netdiag dns NAME [TYPE...] NAME [TYPE...]...`: several names in one run, each NAME with the
 * types after it (as dig reads them), against dnsmasq: one block per query, one JSON document
 * whose results hold every query (validated against the schema), one NDJSON line per query then
 * the summary, and the exit code of the worst outcome.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type FakeDns, startRcodeServer } from "../support/fake_dns.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";

interface Exchange {
  name: string;
  recordType: string;
  status: string;
  answers: { data: string }[];
}

describe("netdiag dns with several names", () => {
  let dns: Dnsmasq;
  let servfail: FakeDns;

  before(async () => {
    dns = await startDnsmasq(testZone());
    servfail = await startRcodeServer("SERVFAIL");
  });

  after(async () => {
    await dns?.stop();
    servfail?.close();
  });

  for (const target of targets()) {
    const run = (args: string[], stdin?: string) =>
      runNetdiag(target, ["dns", "--server", dns.server, ...args], { stdin });

    test(`[${target}] dns NAME NAME prints one block per name, in order, exit 0`, async () => {
      const r = await run(["host.test", "mx.test", "MX", "txt.test", "txt"]);
      assert.equal(r.code, 0, r.stderr);
      const heads = r.stdout.split("\n").filter((l) => l.startsWith(";; "));
      assert.deepEqual(heads.map((l) => l.split(":")[0]), [
        ";; host.test A",
        ";; mx.test MX",
        ";; txt.test TXT",
      ]);
      assert.match(r.stdout, /^host\.test {2}300 {2}A {2}10\.0\.0\.2$/m);
      assert.match(r.stdout, /^mx\.test {2}300 {2}MX {2}10 mail\.test$/m);
      assert.match(r.stderr, /3 queries/, "the summary line of a batch goes to stderr");
    });

    test(`[${target}] dns with one name keeps its single-query output`, async () => {
      const r = await run(["host.test", "A", "AAAA"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split("\n").filter((l) => l.startsWith(";; ")).length, 2);
      assert.equal(r.stderr, "", "no summary line for one name");
    });

    test(`[${target}] dns --json holds every name's queries and matches the schema`, async () => {
      const r = await run(["host.test", "AAAA", "alias1.test", "multi.test", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("dns", doc);
      const results = doc.results as Exchange[];
      assert.deepEqual(results.map((x) => [x.name, x.recordType, x.status]), [
        ["host.test", "AAAA", "NOERROR"],
        ["alias1.test", "A", "NOERROR"],
        ["multi.test", "A", "NOERROR"],
      ]);
      assert.deepEqual(results[2].answers.map((a) => a.data).sort(), ["10.0.0.3", "10.0.0.4"]);
      assert.equal(doc.summary.count, 3);
    });

    test(`[${target}] dns with one NXDOMAIN among the names exits 1, every name answered`, async () => {
      const r = await run(["host.test", "nosuch.test", "mx.test", "MX", "--json"]);
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("dns", doc);
      assert.deepEqual([doc.ok, doc.exitCode], [false, 1]);
      assert.deepEqual((doc.results as Exchange[]).map((x) => x.status), [
        "NOERROR",
        "NXDOMAIN",
        "NOERROR",
      ]);
      assert.deepEqual(
        { ...doc.summary, timeMs: 0 },
        { count: 3, ok: 2, negative: 1, failed: 0, invalid: 0, timeMs: 0 },
      );
    });

    test(`[${target}] dns --ndjson streams one line per name, then the summary`, async () => {
      const r = await run(["host.test", "nosuch.test", "host.test", "MX", "--ndjson"]);
      assert.equal(r.code, 1, r.stderr);
      assertNdjsonMatchesSchema("dns", r.stdout);
      const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.type), ["result", "result", "result", "summary"]);
      assert.deepEqual(lines.slice(0, 3).map((l) => l.status), ["NOERROR", "NXDOMAIN", "NODATA"]);
    });

    test(`[${target}] dns with several names exits 3 when the server fails them`, async () => {
      const r = await runNetdiag(target, [
        "dns",
        "--server",
        servfail.server,
        "a.test",
        "b.test",
        "--json",
      ]);
      assert.equal(r.code, 3, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("dns", doc);
      assert.deepEqual((doc.results as Exchange[]).map((x) => x.status), ["SERVFAIL", "SERVFAIL"]);
    });

    test(`[${target}] dns NAME - NAME reads names from stdin between the others`, async () => {
      const r = await run(
        ["host.test", "-", "mx.test", "MX", "--json"],
        "multi.test\ntxt.test TXT\n",
      );
      assert.equal(r.code, 0, r.stderr);
      const results = JSON.parse(r.stdout).results as Exchange[];
      assert.deepEqual(results.map((x) => `${x.name} ${x.recordType}`), [
        "host.test A",
        "multi.test A",
        "txt.test TXT",
        "mx.test MX",
      ]);
    });

    for (
      const [args, pattern] of [
        [["host.test", "a..test"], /"a\.\.test": empty label/],
        [["host.test", "mx.test", "HTTPS"], /unknown record type "HTTPS"/],
      ] as const
    ) {
      test(`[${target}] dns ${args.join(" ")} is refused before anything is asked`, async () => {
        const r = await run([...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, pattern);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      });
    }
  }
});

/**
 * `resolve`, `reverse`, `dns` and `hostname` machine output matches the published JSON Schemas
 * (docs/schema/): answers, negative answers, failures (a server failure, bad input) and every
 * `--ndjson` line, against dnsmasq and scripted servers on loopback (never /etc/resolv.conf).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { runNetdiag, type Target, targets } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type FakeDns, startRcodeServer, startSilentServer } from "../support/fake_dns.ts";
import { join } from "../support/paths.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";

describe("name commands' output matches docs/schema", () => {
  let dns: Dnsmasq;
  let servfail: FakeDns;
  let silent: FakeDns;
  let dir: string;
  let hostsFile: string;

  before(async () => {
    dns = await startDnsmasq(testZone());
    servfail = await startRcodeServer("SERVFAIL");
    silent = await startSilentServer();
    dir = await mkdtemp(join(tmpdir(), "netdiag-schema-names-"));
    hostsFile = join(dir, "hosts");
    await writeFile(
      hostsFile,
      "127.0.0.1 localhost\n10.9.9.9 host.test pinned\nfd00::9 host.test\n",
    );
  });

  after(async () => {
    await dns?.stop();
    servfail?.close();
    silent?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * Runs one case, checks its exit code and its document (or lines) against the schema, and
   * returns the document (or the lines), parsed.
   */
  const check = async (
    target: Target,
    command: string,
    args: readonly string[],
    code: number,
    stdin?: string,
    // deno-lint-ignore no-explicit-any
  ): Promise<any> => {
    const r = await runNetdiag(target, [command, ...args], stdin === undefined ? {} : { stdin });
    const label = `${command} ${args.join(" ")}`;
    assert.equal(r.code, code, `${label}: ${r.stderr}`);
    if (args.includes("--ndjson")) {
      assertNdjsonMatchesSchema(command, r.stdout);
      const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      assert.equal(lines.at(-1).exitCode, code, label);
      return lines;
    }
    const doc = JSON.parse(r.stdout);
    assertMatchesSchema(command, doc);
    assert.deepEqual([doc.command, doc.ok, doc.exitCode], [command, code === 0, code], label);
    return doc;
  };

  for (const target of targets()) {
    test(`[${target}] resolve documents and lines match their schemas`, async () => {
      const server = ["--server", dns.server];
      await check(target, "resolve", [...server, "host.test", "alias1.test", "--json"], 0);
      await check(target, "resolve", [...server, "--ex", "alias1.test", "--json"], 0);
      const all = await check(target, "resolve", [
        ...["--source", "all", ...server, "--hosts-file", hostsFile, "host.test", "--json"],
      ], 0);
      assert.equal(all.results[0].answers.length, 3);
      const nx = await check(target, "resolve", [...server, "nosuch.test", "--json"], 1);
      assert.equal(nx.results[0].status, "not-found");
      await check(target, "resolve", ["--server", servfail.server, "a.test", "--json"], 3);
      const bad = await check(target, "resolve", ["", "--json"], 2);
      assert.equal(bad.error.kind, "usage");
      const lines = await check(
        target,
        "resolve",
        [...server, "--ndjson", "-"],
        2,
        "host.test\na..test\nnosuch.test\n",
      );
      assert.deepEqual(lines.map((l: { type: string }) => l.type), ["result", "result", "summary"]);
      assert.equal(lines.at(-1).summary.invalid, 1);
      await check(target, "resolve", ["", "--ndjson"], 2);
    });

    test(`[${target}] reverse documents and lines match their schemas`, async () => {
      const viaDns = ["--source", "dns", "--server", dns.server];
      await check(target, "reverse", [...viaDns, "127.0.0.1", "--json"], 0);
      await check(target, "reverse", [...viaDns, "10.99.0.1", "--json"], 1);
      await check(target, "reverse", ["--server", servfail.server, "10.0.0.1", "--json"], 3);
      await check(target, "reverse", ["not an address", "--json"], 2);
      const lines = await check(target, "reverse", [
        ...["--source", "all", "--server", dns.server, "--hosts-file", hostsFile, "--ndjson"],
        ...["127.0.0.1", "10.9.9.9", "10.0.0.2"],
      ], 0);
      assert.equal(lines.length, 4);
    });

    test(`[${target}] dns documents and lines match their schemas`, async () => {
      const server = ["--server", dns.server];
      await check(target, "dns", [...server, "host.test", "A", "AAAA", "--json"], 0);
      await check(
        target,
        "dns",
        [...server, "-f", "-", "--json"],
        0,
        "mx.test MX\ntxt.test TXT\n_sip._tcp.srv.test SRV\ncaa.test CAA\nnaptr.test NAPTR\n" +
          "alias1.test CNAME\n",
      );
      await check(target, "dns", [...server, "-x", "127.0.0.1", "--json"], 0);
      const nx = await check(target, "dns", [...server, "nosuch.test", "--json"], 1);
      assert.equal(nx.results[0].status, "NXDOMAIN");
      await check(target, "dns", [...server, "host.test", "MX", "--json"], 1);
      await check(target, "dns", ["--server", servfail.server, "a.test", "--json"], 3);
      const timeout = await check(target, "dns", [
        ...["--server", silent.server, "--timeout", "200ms", "a.test", "--json"],
      ], 3);
      assert.equal(timeout.results[0].status, "TIMEOUT");
      await check(target, "dns", [...server, "host.test", "FOO", "--json"], 2);
      const lines = await check(
        target,
        "dns",
        [...server, "-f", "-", "--ndjson"],
        2,
        "host.test A AAAA\nhost.test FOO\nnosuch.test\n",
      );
      assert.deepEqual(lines.map((l: { type: string }) => l.type), [
        "result",
        "result",
        "result",
        "summary",
      ]);
      await check(target, "dns", [...server, "a..test", "--ndjson"], 2);
    });

    test(`[${target}] hostname documents match their schema`, async () => {
      const plain = await check(target, "hostname", ["--json"], 0);
      assert.equal(typeof plain.results[0].hostname, "string");
      const full = await check(target, "hostname", ["--fqdn", "--json"], 0);
      assert.equal(typeof full.results[0].gethostbyaddr.query, "string");
    });

    test(`[${target}] a name document with a wrong field fails its schema`, async () => {
      const r = await runNetdiag(target, ["dns", "--server", dns.server, "host.test", "--json"]);
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("dns", doc);
      doc.results[0].server.port = "53";
      assert.throws(() => assertMatchesSchema("dns", doc), /does not match/);
      const extra = JSON.parse(r.stdout);
      extra.results[0].type = "A";
      assert.throws(() => assertMatchesSchema("dns", extra), /does not match/);
    });
  }
});

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { hasTerminalControls } from "../../lib/core/terminal_text.ts";
import { runNetdiag, targets } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type FakeDns, startRcodeServer, startSilentServer } from "../support/fake_dns.ts";
import {
  CHAOS_A,
  ESCAPES,
  FORGED_A,
  HONEST_A,
  HONEST_PTR,
  type HostileDns,
  startHostileDns,
} from "../support/hostile_dns.ts";
import { join } from "../support/paths.ts";

interface Record {
  name: string;
  type: string;
  ttl: number;
  value: unknown;
  data: string;
}
interface Exchange {
  name: string;
  recordType: string;
  status: string;
  rcode?: string;
  transport: string;
  answers: Record[];
}

describe("netdiag dns against dnsmasq", () => {
  let dns: Dnsmasq;
  let servfail: FakeDns;
  let silent: FakeDns;
  let dir: string;

  before(async () => {
    dns = await startDnsmasq(testZone());
    servfail = await startRcodeServer("SERVFAIL");
    silent = await startSilentServer();
    dir = await mkdtemp(join(tmpdir(), "netdiag-dns-test-"));
  });

  after(async () => {
    await dns?.stop();
    servfail?.close();
    silent?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const query = async (target: "deno" | "binary", args: string[]) => {
    const r = await runNetdiag(target, ["dns", "--server", dns.server, ...args, "--json"]);
    const doc = r.stdout ? JSON.parse(r.stdout) : undefined;
    return { ...r, doc, results: (doc?.results ?? []) as Exchange[] };
  };

  for (const target of targets()) {
    test(`[${target}] dns prints A and AAAA records with their TTLs`, async () => {
      const r = await runNetdiag(target, ["dns", "--server", dns.server, "host.test", "A", "AAAA"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^;; host\.test A: NOERROR from 127\.0\.0\.1:\d+ \(udp, /m);
      assert.match(r.stdout, /^host\.test {2}300 {2}A {2}10\.0\.0\.2$/m);
      assert.match(r.stdout, /^host\.test {2}300 {2}AAAA {2}fd00::2$/m);
      assert.doesNotMatch(r.stdout, /\.test\.\s/, "no trailing dots");
    });

    test(`[${target}] dns follows the CNAME chain in the answer`, async () => {
      const { code, results } = await query(target, ["alias1.test"]);
      assert.equal(code, 0);
      assert.deepEqual(results[0].answers.map((a) => [a.name, a.type, a.data]), [
        ["alias1.test", "CNAME", "alias2.test"],
        ["alias2.test", "CNAME", "host.test"],
        ["host.test", "A", "10.0.0.2"],
      ]);
    });

    test(`[${target}] dns decodes MX, TXT, SRV, CAA and NAPTR records`, async () => {
      const r = await runNetdiag(target, ["dns", "--server", dns.server, "-f", "-", "--json"], {
        stdin: "mx.test MX\ntxt.test TXT\n_sip._tcp.srv.test SRV\ncaa.test CAA\n" +
          "naptr.test NAPTR\n",
      });
      const { code, stderr } = r;
      const results = JSON.parse(r.stdout).results as Exchange[];
      assert.equal(code, 0, stderr);
      const byType = Object.fromEntries(results.map((x) => [x.recordType, x.answers]));
      assert.deepEqual(byType.MX[0].value, { preference: 10, exchange: "mail.test" });
      assert.equal(byType.TXT.length, 1, "one TXT record with two strings");
      assert.deepEqual(byType.TXT[0].value, ["first string", "second string"]);
      assert.equal(byType.TXT[0].data, '"first string" "second string"');
      assert.equal(byType.SRV[0].data, "10 20 5060 sip.test");
      assert.equal(byType.CAA[0].data, '0 issue "letsencrypt.org"');
      assert.equal(byType.NAPTR[0].data, '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.test!" .');
    });

    test(`[${target}] dns -x 127.0.0.1 really asks the server for the PTR record`, async () => {
      const { code, results } = await query(target, ["-x", "127.0.0.1"]);
      assert.equal(code, 0);
      assert.equal(results[0].name, "1.0.0.127.in-addr.arpa");
      assert.equal(results[0].answers[0].data, "loopback-ptr.test");
    });

    test(`[${target}] dns tells NXDOMAIN and NODATA apart, both exit 1`, async () => {
      const nx = await query(target, ["nosuch.test"]);
      assert.equal(nx.code, 1);
      assert.deepEqual([nx.doc.command, nx.doc.ok, nx.doc.exitCode], ["dns", false, 1]);
      assert.equal(nx.results[0].status, "NXDOMAIN");
      const nodata = await query(target, ["host.test", "MX"]);
      assert.equal(nodata.code, 1);
      assert.equal(nodata.results[0].status, "NODATA");
      assert.equal(nodata.results[0].rcode, "NOERROR");
      const human = await runNetdiag(target, ["dns", "--server", dns.server, "nosuch.test"]);
      assert.match(human.stdout, /NXDOMAIN \(no such name\)/);
    });

    test(`[${target}] dns reports REFUSED and SERVFAIL with exit 3`, async () => {
      const refused = await query(target, ["example.com"]);
      assert.equal(refused.code, 3);
      assert.equal(refused.results[0].status, "REFUSED");
      const r = await runNetdiag(target, ["dns", "--server", servfail.server, "a.test", "--json"]);
      assert.equal(r.code, 3);
      assert.equal(JSON.parse(r.stdout).results[0].status, "SERVFAIL");
    });

    test(`[${target}] dns times out against a silent server with exit 3`, async () => {
      const r = await runNetdiag(target, [
        "dns",
        "--server",
        silent.server,
        "host.test",
        "--timeout",
        "300ms",
      ]);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /TIMEOUT \(no answer within 300 ms\)/);
    });

    test(`[${target}] dns retries a truncated answer over TCP`, async () => {
      const { code, results } = await query(target, ["big.test", "TXT"]);
      assert.equal(code, 0);
      assert.equal(results[0].transport, "tcp");
      assert.equal(results[0].answers.length, 10);
      const tcp = await query(target, ["--tcp", "txt.test", "TXT"]);
      assert.equal(tcp.results[0].transport, "tcp");
      assert.deepEqual(tcp.results[0].answers[0].value, ["first string", "second string"]);
    });

    test(`[${target}] dns -f keeps input order and streams NDJSON with a summary`, async () => {
      const names = ["multi.test", "nosuch.test", "host.test", "alias1.test", "mx.test"];
      const file = join(dir, `names-${target}.txt`);
      await writeFile(file, names.join("\n") + "\n# comment\n");
      const r = await runNetdiag(target, [
        "dns",
        "--server",
        dns.server,
        "-f",
        file,
        "--ndjson",
        "--concurrency",
        "3",
      ]);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.slice(0, -1).map((l) => l.name), names);
      assert.deepEqual(lines.slice(0, -1).map((l) => l.status), [
        "NOERROR",
        "NXDOMAIN",
        "NOERROR",
        "NOERROR",
        "NODATA",
      ]);
      assert.ok(lines.slice(0, -1).every((l) => l.type === "result"));
      const last = lines.at(-1);
      assert.deepEqual({ ...last, summary: { ...last.summary, timeMs: 0 } }, {
        type: "summary",
        command: "dns",
        ok: false,
        exitCode: 1,
        summary: { count: 5, ok: 3, negative: 2, failed: 0, invalid: 0, timeMs: 0 },
      });
    });

    for (
      const [args, pattern] of [
        [["host.test", "FOO"], /unknown record type "FOO"/],
        [["a".repeat(64) + ".test"], /label .* 64 characters/],
        [["a..test"], /"a\.\.test": empty label/],
        [["-x", "300.1.1.1"], /invalid address "300\.1\.1\.1"/],
      ] as const
    ) {
      test(`[${target}] dns ${args.join(" ").slice(0, 30)} exits 2 naming the value`, async () => {
        const r = await runNetdiag(target, ["dns", "--server", dns.server, ...args]);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, pattern);
        assert.equal(r.stderr.trim().split("\n").length, 1);
      });
    }

    test(`[${target}] dns rejects a bad server address and port with exit 2`, async () => {
      for (const server of ["dns.example", "127.0.0.1:99999"]) {
        const r = await runNetdiag(target, ["dns", "--server", server, "host.test"]);
        assert.equal(r.code, 2);
        assert.ok(r.stderr.includes(JSON.stringify(server)), r.stderr);
      }
    });
  }
});

describe("netdiag dns, resolve and reverse against a hostile server", () => {
  let hostile: HostileDns;
  let dir: string;
  let fifo: string;

  before(async () => {
    hostile = await startHostileDns();
    dir = await mkdtemp(join(tmpdir(), "netdiag-hostile-e2e-"));
    fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
  });

  after(async () => {
    hostile?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs netdiag with a bound on its time; returns the result and how long it took. */
  const run = async (target: "deno" | "binary", args: string[], stdin?: string) => {
    const started = performance.now();
    const r = await runNetdiag(target, args, { timeoutMs: 10_000, stdin });
    return { ...r, ms: performance.now() - started };
  };
  const dns = (target: "deno" | "binary", ...args: string[]) =>
    run(target, ["dns", "--server", hostile.server, ...args]);
  const lines = (text: string) => text.trimEnd().split("\n");

  for (const target of targets()) {
    test(`[${target}] dns: a compression bomb is one MALFORMED line, exit 3, at once`, async () => {
      const r = await dns(target, "bomb.test", "--timeout", "1s");
      assert.equal(r.code, 3, r.stderr);
      assert.ok(r.stdoutBytes.length < 300, `printed ${r.stdoutBytes.length} bytes`);
      assert.match(r.stdout, /^;; bomb\.test A: MALFORMED \(a name is longer than 255 octets\)/);
      assert.equal(lines(r.stdout).length, 1);
      assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    });

    test(`[${target}] dns: a forged reply from another port is never the answer`, async () => {
      const r = await dns(target, "spoof-only.test", "--timeout", "300ms");
      assert.equal(r.code, 3);
      assert.match(r.stdout, /TIMEOUT \(no answer within 300 ms\)/);
      assert.ok(!r.stdout.includes(FORGED_A), r.stdout);
      const honest = await dns(target, "spoof-port.test", "--json");
      assert.equal(honest.code, 0);
      assert.equal(JSON.parse(honest.stdout).results[0].answers[0].data, HONEST_A);
    });

    test(`[${target}] dns: a 3-octet A record is MALFORMED, exit 3, never an address`, async () => {
      const r = await dns(target, "short-a.test");
      assert.equal(r.code, 3);
      assert.match(
        r.stdout,
        /MALFORMED \(A record of "short-a\.test" has 3 octets of data, expected 4\)/,
      );
      assert.doesNotMatch(r.stdout, /1,2,3/);
      assert.equal(lines(r.stdout).length, 1);
    });

    test(`[${target}] resolve: a class CH A record is no address, exit 1`, async () => {
      const r = await run(target, ["resolve", "--server", hostile.server, "ch-class.test"]);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(!r.stdout.includes(CHAOS_A), r.stdout);
      assert.match(r.stdout, /no A or AAAA records \(NODATA\)/);
    });

    test(`[${target}] dns: BADVERS and rcodes 6 and 15 are named, exit 3`, async () => {
      const stdin = "badvers.test\nrcode6.test\nrcode15.test\n";
      const r = await run(target, ["dns", "--server", hostile.server, "-f", "-"], stdin);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /badvers\.test A: BADVERS \(the server does not support this EDNS/);
      assert.match(r.stdout, /rcode6\.test A: YXDOMAIN \(a name exists that should not\)/);
      assert.match(r.stdout, /rcode15\.test A: RCODE15 \(unassigned response code 15\)/);
      assert.doesNotMatch(r.stdout, /ERROR \(error\)/);
    });

    test(`[${target}] dns: a TCP server that never answers times out, exit 3`, async () => {
      const r = await dns(target, "tcp-silent.test", "--timeout", "500ms");
      assert.equal(r.code, 3);
      assert.match(r.stdout, /TIMEOUT \(timed out after 500 ms waiting for the answer over TCP\)/);
      assert.ok(r.ms < 5000, `took ${r.ms} ms`);
      const wrongId = await dns(target, "tcp-wrong-id.test");
      assert.equal(wrongId.code, 0);
      assert.match(wrongId.stdout, new RegExp(`A  ${HONEST_A.replaceAll(".", "\\.")}$`, "m"));
      assert.ok(!wrongId.stdout.includes(FORGED_A), wrongId.stdout);
    });

    test(`[${target}] a FIFO as --hosts-file or dns -f is refused at once, exit 2`, async () => {
      for (
        const args of [
          ["resolve", "--source", "hosts", "--hosts-file", fifo, "host.test"],
          ["reverse", "--source", "hosts", "--hosts-file", fifo, "127.0.0.1"],
          ["dns", "--server", hostile.server, "-f", fifo],
        ]
      ) {
        const r = await run(target, args);
        assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^netdiag: cannot read .*fifo": not a regular file\n$/);
      }
    });

    test(`[${target}] reverse of a scoped IPv6 address answers, never an internal error`, async () => {
      const r = await run(target, ["reverse", "--server", hostile.server, "fe80::1%lo"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^fe80::1%lo  ${HONEST_PTR.replace(".", "\\.")}  dns `));
      const hosts = join(dir, `hosts-${target}`);
      await writeFile(hosts, "10.0.0.1 other.test\n");
      const none = await run(target, [
        "reverse",
        "--source",
        "hosts",
        "--hosts-file",
        hosts,
        "fe80::1%lo",
      ]);
      assert.equal(none.code, 1, none.stderr);
      assert.match(none.stdout, /^fe80::1%lo {2}not found: fe80::1%lo is not in /);
      assert.equal(none.stderr, "");
    });

    test(`[${target}] dns escapes terminal controls from a reply; --json keeps them exact`, async () => {
      const r = await dns(target, "terminal.test", "CAA");
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.split("\n").some(hasTerminalControls), r.stdout);
      assert.match(r.stdout, /issue\\e\]0;pwned\\x07/);
      const json = await dns(target, "terminal.test", "CAA", "--json");
      const caa = JSON.parse(json.stdout).results[0].answers[0];
      assert.equal(caa.value.tag, `issue${ESCAPES}`);
    });
  }
});

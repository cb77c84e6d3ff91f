import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { runNetdiag, spawnNetdiag, targets, waitForLine } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type FakeDns, startRcodeServer, startSilentServer } from "../support/fake_dns.ts";
import { join } from "../support/paths.ts";
import { python, run } from "../support/python.ts";
import { assertNdjsonMatchesSchema } from "../support/schema.ts";

interface Answer {
  source: string;
  status: string;
  from: string;
  lines?: number[];
  canonicalName?: string;
  aliases?: string[];
  addresses: { address: string; family: number; line?: number; ttl?: number }[];
  reason?: string;
}
interface Item {
  name: string;
  status: string;
  answers: Answer[];
  agree?: boolean;
  timeMs: number;
}

const HOSTS = [
  "# test hosts file",
  "127.0.0.1 localhost",
  "10.9.9.9 host.test pinned",
  "10.9.9.10 other.test host.test",
  "fd00::9 host.test",
].join("\n") + "\n";

/** The names in the system hosts file that CPython resolves with gethostbyname_ex. */
async function systemHostsNames(): Promise<string[]> {
  const text = await readFile("/etc/hosts", "utf8").catch(() => "");
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const fields = line.replace(/#.*/, "").trim().split(/\s+/);
    for (const n of fields.slice(1)) if (n) names.add(n);
  }
  return [...names].filter((n) => /^[A-Za-z0-9.-]+$/.test(n));
}

describe("netdiag resolve and reverse", () => {
  let dns: Dnsmasq;
  let servfail: FakeDns;
  let silent: FakeDns;
  let dir: string;
  let hostsFile: string;

  before(async () => {
    dns = await startDnsmasq(testZone());
    servfail = await startRcodeServer("SERVFAIL");
    silent = await startSilentServer();
    dir = await mkdtemp(join(tmpdir(), "netdiag-resolve-test-"));
    hostsFile = join(dir, "hosts");
    await writeFile(hostsFile, HOSTS);
  });

  after(async () => {
    await dns?.stop();
    servfail?.close();
    silent?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const json = async (target: "deno" | "binary", args: string[], stdin?: string) => {
    const r = await runNetdiag(target, [...args, "--json"], stdin ? { stdin } : {});
    const doc = r.stdout ? JSON.parse(r.stdout) : undefined;
    return { ...r, doc, items: (doc?.results ?? []) as Item[] };
  };

  for (const target of targets()) {
    test(`[${target}] resolve --ex equals CPython's gethostbyname_ex for hosts-file names`, async () => {
      const names = await systemHostsNames();
      const expected = await python<Record<string, unknown>>(
        "import json, socket\nout = {}\nfor n in " + JSON.stringify(names) + ":\n" +
          "  try: out[n] = list(socket.gethostbyname_ex(n))\n  except OSError: pass\n" +
          "print(json.dumps(out))",
      );
      const known = Object.keys(expected);
      assert.ok(known.length > 0, "python resolved no hosts-file name");
      const { code, items, stderr } = await json(target, ["resolve", "--ex", ...known]);
      assert.equal(code, 0, stderr);
      for (const item of items) {
        const a = item.answers[0];
        assert.deepEqual(
          [a.canonicalName, a.aliases, a.addresses.map((x) => x.address)],
          expected[item.name],
          item.name,
        );
      }
    });

    test(`[${target}] resolve gives the same address set as getent ahosts`, async () => {
      const hostname = await python<string>(
        "import json, socket; print(json.dumps(socket.gethostname()))",
      );
      for (const name of ["localhost", hostname]) {
        // A name getent cannot resolve here (no hosts entry, no DNS) proves nothing either way.
        const getent = await run("getent", ["ahosts", name]).catch(() => "");
        if (!getent) continue;
        const want = [...new Set(getent.trim().split("\n").map((l) => l.split(/\s+/)[0]))].sort();
        const { code, items } = await json(target, ["resolve", name]);
        assert.equal(code, 0);
        const got = items[0].answers[0].addresses.map((a) => a.address).sort();
        assert.deepEqual(got, want, name);
        assert.equal(items[0].answers[0].from, "getaddrinfo");
      }
    });

    test(`[${target}] resolve --first prints only what gethostbyname returns`, async () => {
      const want = await python<string>(
        "import json, socket; print(json.dumps(socket.gethostbyname('localhost')))",
      );
      const r = await runNetdiag(target, ["resolve", "--first", "localhost"]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${want}\n`);
      const miss = await runNetdiag(target, [
        "resolve",
        "--first",
        "--server",
        dns.server,
        "nosuch.test",
      ]);
      assert.equal(miss.code, 1);
      assert.equal(miss.stdout, "");
      assert.match(miss.stderr, /cannot resolve "nosuch\.test": NXDOMAIN/);
    });

    test(`[${target}] resolve --source hosts says which file and line answered`, async () => {
      const { code, items } = await json(target, [
        "resolve",
        "--source",
        "hosts",
        "--hosts-file",
        hostsFile,
        "host.test",
      ]);
      assert.equal(code, 0);
      const a = items[0].answers[0];
      assert.deepEqual(a.addresses, [
        { address: "10.9.9.9", family: 4, line: 3 },
        { address: "10.9.9.10", family: 4, line: 4 },
        { address: "fd00::9", family: 6, line: 5 },
      ]);
      assert.equal(a.from, `${hostsFile}:3,4,5`);
      const human = await runNetdiag(target, [
        "resolve",
        "--source",
        "hosts",
        "--hosts-file",
        hostsFile,
        "-6",
        "host.test",
      ]);
      assert.match(human.stdout, new RegExp(`^host\\.test  fd00::9  IPv6  ${hostsFile}:5  `, "m"));
    });

    test(`[${target}] resolve --ex over DNS follows the CNAME chain like glibc`, async () => {
      const { code, items } = await json(target, [
        "resolve",
        "--ex",
        "--server",
        dns.server,
        "alias1.test",
      ]);
      assert.equal(code, 0);
      const a = items[0].answers[0];
      assert.equal(a.source, "dns");
      assert.equal(a.from, `dns ${dns.server}`);
      assert.deepEqual(
        [a.canonicalName, a.aliases, a.addresses.map((x) => x.address)],
        ["host.test", ["alias1.test", "alias2.test"], ["10.0.0.2"]],
      );
    });

    test(`[${target}] resolve over DNS gives both families with TTLs, -4 and -6 keep one`, async () => {
      const { items } = await json(target, [
        "resolve",
        "--server",
        dns.server,
        "host.test",
        "multi.test",
      ]);
      assert.deepEqual(items[0].answers[0].addresses, [
        { address: "10.0.0.2", family: 4, ttl: 300 },
        { address: "fd00::2", family: 6, ttl: 300 },
      ]);
      assert.deepEqual(items[1].answers[0].addresses.map((a) => a.address).sort(), [
        "10.0.0.3",
        "10.0.0.4",
      ]);
      const v6 = await json(target, ["resolve", "-6", "--server", dns.server, "v6only.test"]);
      assert.equal(v6.code, 0);
      const v4 = await json(target, ["resolve", "-4", "--server", dns.server, "v6only.test"]);
      assert.equal(v4.code, 1);
      assert.equal(v4.items[0].status, "no-data");
    });

    test(`[${target}] resolve exits 1 for NXDOMAIN and 3 for SERVFAIL and timeout`, async () => {
      const nx = await json(target, ["resolve", "--server", dns.server, "nosuch.test"]);
      assert.equal(nx.code, 1);
      assert.deepEqual([nx.doc.command, nx.doc.ok, nx.doc.exitCode], ["resolve", false, 1]);
      assert.equal(nx.items[0].status, "not-found");
      assert.match(nx.items[0].answers[0].reason!, /NXDOMAIN/);
      const sf = await json(target, ["resolve", "--server", servfail.server, "a.test"]);
      assert.equal(sf.code, 3);
      assert.match(sf.items[0].answers[0].reason!, /SERVFAIL/);
      const to = await runNetdiag(target, [
        "resolve",
        "--server",
        silent.server,
        "--timeout",
        "300ms",
        "a.test",
      ]);
      assert.equal(to.code, 3);
      assert.match(to.stdout, /timed out: TIMEOUT \(no answer within 300 ms\)/);
    });

    test(`[${target}] resolve --source all shows hosts, DNS and getaddrinfo side by side`, async () => {
      const args = [
        "resolve",
        "--source",
        "all",
        "--server",
        dns.server,
        "--hosts-file",
        hostsFile,
        "host.test",
      ];
      const { code, items } = await json(target, args);
      assert.equal(code, 0);
      const bySource = Object.fromEntries(items[0].answers.map((a) => [a.source, a]));
      assert.deepEqual(Object.keys(bySource), ["hosts", "dns", "system"]);
      assert.equal(bySource.hosts.addresses[0].address, "10.9.9.9");
      assert.equal(bySource.dns.addresses[0].address, "10.0.0.2");
      assert.equal(items[0].agree, false);
      const human = await runNetdiag(target, args);
      assert.match(human.stdout, /^ {2}hosts +10\.9\.9\.9, 10\.9\.9\.10, fd00::9 /m);
      assert.match(human.stdout, /^ {2}dns +10\.0\.0\.2, fd00::2 /m);
      assert.match(human.stdout, /the sources disagree/);
    });

    test(`[${target}] resolve reads names from stdin and keeps their order`, async () => {
      const names = ["multi.test", "nosuch.test", "host.test", "alias1.test", "v6only.test"];
      const r = await runNetdiag(
        target,
        ["resolve", "--server", dns.server, "--ndjson", "--concurrency", "2", "-"],
        { stdin: names.join("\n") + "\n" },
      );
      assert.equal(r.code, 1);
      const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.slice(0, -1).map((l) => l.name), names);
      assert.ok(
        lines.slice(0, -1).every((l) => l.type === "result" && typeof l.timeMs === "number"),
      );
      assert.equal(lines.at(-1).type, "summary");
      assert.equal(lines.at(-1).command, "resolve");
      assert.equal(lines.at(-1).summary.negative, 1);
    });

    test(`[${target}] resolve - ends its document as interrupted on SIGINT, exit 130`, async () => {
      const child = spawnNetdiag(target, [
        ...["resolve", "--source", "hosts", "--hosts-file", hostsFile, "--ndjson", "-"],
      ]);
      const out: string[] = [];
      const err: string[] = [];
      child.stdout!.setEncoding("utf8").on("data", (c: string) => out.push(c));
      child.stderr!.setEncoding("utf8").on("data", (c: string) => err.push(c));
      const exited = new Promise<number | null>((done) => child.on("close", done));
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.stdin!.write("host.test\n"); // stdin stays open: the batch waits for more names
      await waitForLine(child.stdout!, (l) => l.includes('"host.test"') || undefined);
      process.kill(child.pid!, "SIGINT");
      const code = await exited;
      clearTimeout(killer);
      child.stdin!.destroy();
      assert.equal(code, 130, err.join(""));
      const stdout = out.join("");
      assertNdjsonMatchesSchema("resolve", stdout);
      const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.type), ["result", "summary"]);
      assert.deepEqual([lines[1].interrupted, lines[1].exitCode], [true, 130]);
      assert.equal(lines[1].summary.ok, 1);
    });

    for (
      const [args, pattern] of [
        [["resolve", ""], /invalid name "": empty/],
        [["resolve", "a".repeat(64) + ".test"], /64 characters, at most 63/],
        [["resolve", `${"a.".repeat(127)}ab`], /256 characters, at most 253/],
        [["resolve", "--server", "127.0.0.1:0", "a.test"], /"127\.0\.0\.1:0"/],
        [
          ["resolve", "--server", "1.2.3.4", "--source", "hosts", "a.test"],
          /a DNS server does not go with source "hosts"/,
        ],
        [["resolve", "-4", "-6", "a.test"], /"--ipv4" and "--ipv6": choose one family/],
        [["resolve", "-6", "--first", "a.test"], /"--ipv6" and "--first": gethostbyname is IPv4/],
        [["resolve", "--first", "--ex", "a.test"], /--first.*--ex/],
        [["reverse", "not an address"], /invalid address "not an address"/],
      ] as const
    ) {
      test(`[${target}] ${args.join(" ").slice(0, 40)} exits 2 naming the value`, async () => {
        const r = await runNetdiag(target, [...args]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, pattern);
      });
    }

    test(`[${target}] reverse 127.0.0.1 equals CPython's gethostbyaddr`, async () => {
      const want = await python<[string, string[], string[]]>(
        "import json, socket; print(json.dumps(socket.gethostbyaddr('127.0.0.1')))",
      );
      const { code, items } = await json(target, ["reverse", "127.0.0.1"]);
      assert.equal(code, 0);
      const a = items[0].answers[0] as unknown as {
        hostname: string;
        aliases: string[];
        addresses: { address: string; family: number }[];
      };
      assert.deepEqual([a.hostname, a.aliases, a.addresses.map((x) => x.address)], want);
      assert.ok(a.addresses.every((x) => x.family === 4));
    });

    test(`[${target}] reverse over DNS really asks for the PTR of 127.0.0.1`, async () => {
      const r = await runNetdiag(target, [
        "reverse",
        "--source",
        "dns",
        "--server",
        dns.server,
        "127.0.0.1",
        "10.0.0.2",
        "10.99.0.1",
      ]);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trim().split("\n");
      assert.match(
        lines[0],
        /^127\.0\.0\.1 {2}loopback-ptr\.test {2}dns 127\.0\.0\.1:\d+ {2}ttl 300 /,
      );
      assert.match(lines[1], /^10\.0\.0\.2 {2}host\.test {2}/);
      assert.match(lines[2], /^10\.99\.0\.1 {2}not found: NXDOMAIN/);
    });

    test(`[${target}] reverse --source hosts answers from the file with its line`, async () => {
      const { code, items } = await json(target, [
        "reverse",
        "--source",
        "hosts",
        "--hosts-file",
        hostsFile,
        "10.9.9.9",
      ]);
      assert.equal(code, 0);
      const a = items[0].answers[0] as unknown as Record<string, unknown>;
      assert.equal(a.hostname, "host.test");
      assert.deepEqual(a.aliases, ["pinned"]);
      assert.equal(a.line, 3);
    });
  }
});

for (const target of targets()) {
  test(`[${target}] resolve --quiet (-q) prints no result lines; the exit code still tells`, async () => {
    const ok = await runNetdiag(target, ["resolve", "-q", "localhost"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "");
    const missing = await runNetdiag(target, [
      "resolve",
      "--quiet",
      "--source",
      "hosts",
      "localhost",
      "no-such-name.invalid",
    ]);
    assert.equal(missing.code, 1, missing.stderr);
    assert.equal(missing.stdout, "");
    assert.match(missing.stderr, /2 names: 1 answered, 1 not found/);
  });
}

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { ExitCode } from "../../lib/core/exit_code.ts";
import { dnsStatusExitCode } from "../../lib/core/dns_records.ts";
import type { DnsExchange } from "../../lib/core/dns_exchange.ts";
import { DnsClient } from "../../lib/net/dns_client.ts";
import { NameService } from "../../lib/resolve/name_service.ts";
import { checkHostsFile } from "../../lib/resolve/options.ts";
import { NotRegularFileError, readTextFile } from "../../lib/runtime/read_text.ts";
import { dnsExchangeText } from "../../lib/output/views/dns_view.ts";
import { reverseItemText } from "../../lib/output/views/lookup_view.ts";
import { plainStyle } from "../../lib/output/style.ts";
import { hasTerminalControls } from "../../lib/core/terminal_text.ts";
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

const addresses = (e: DnsExchange) => e.answers.map((a) => a.data);

describe("DnsClient against a hostile DNS server", () => {
  let hostile: HostileDns;
  let client: DnsClient;
  let dir: string;

  before(async () => {
    hostile = await startHostileDns();
    client = await DnsClient.open(hostile.endpoint, { timeoutMs: 1500 });
    dir = await mkdtemp(join(tmpdir(), "netdiag-hostile-dns-"));
  });

  after(async () => {
    client?.close();
    hostile?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("a forged reply from another port is ignored; the server's own reply is taken", async () => {
    const r = await client.query("spoof-port.test", "A");
    assert.equal(r.status, "NOERROR");
    assert.deepEqual(addresses(r), [HONEST_A]);
  });

  test("a forged reply from another port alone ends in TIMEOUT, never as the answer", async () => {
    const quick = await DnsClient.open(hostile.endpoint, { timeoutMs: 400 });
    try {
      const r = await quick.query("spoof-only.test", "A");
      assert.equal(r.status, "TIMEOUT");
      assert.deepEqual(addresses(r), []);
    } finally {
      quick.close();
    }
  });

  for (
    const [name, what] of [
      ["wrong-id.test", "another id"],
      ["wrong-question.test", "another name in its question"],
      ["wrong-type.test", "another type in its question"],
      ["wrong-class.test", "class CH in its question"],
      ["no-question.test", "no question"],
    ]
  ) {
    test(`a UDP reply with ${what} is ignored until the right one comes`, async () => {
      const r = await client.query(name, "A");
      assert.equal(r.status, "NOERROR");
      assert.deepEqual(addresses(r), [HONEST_A]);
      assert.ok(!JSON.stringify(r).includes(FORGED_A));
    });
  }

  test("a FORMERR without a question section is accepted as FORMERR", async () => {
    const r = await client.query("formerr-bare.test", "A");
    assert.equal(r.status, "FORMERR");
    assert.equal(dnsStatusExitCode(r.status), ExitCode.Failure);
  });

  test("a reply whose question differs only in letter case is accepted", async () => {
    const r = await client.query("mixed-case.test", "A");
    assert.equal(r.status, "NOERROR");
    assert.deepEqual(addresses(r), [HONEST_A]);
  });

  test("a compression bomb (a 32 KB name, 2,000 pointers to it) is MALFORMED at once", async () => {
    const started = performance.now();
    const r = await client.query("bomb.test", "A");
    const ms = performance.now() - started;
    assert.equal(r.status, "MALFORMED");
    assert.match(r.reason!, /name is longer than 255 octets/);
    assert.deepEqual(r.answers, []);
    assert.ok(ms < 500, `took ${ms} ms`);
    assert.equal(dnsStatusExitCode(r.status), ExitCode.Failure);
  });

  test("names costing more than 512 KiB to decode make a message MALFORMED", async () => {
    const r = await client.query("bomb-wide.test", "A");
    assert.equal(r.status, "MALFORMED");
    assert.match(r.reason!, /more than 524288 octets to decode/);
  });

  for (
    const [name, type, pattern] of [
      ["short-a.test", "A", /A record of "short-a\.test" has 3 octets of data, expected 4/],
      ["long-a.test", "A", /A record of "long-a\.test" has 5 octets of data, expected 4/],
      ["short-aaaa.test", "AAAA", /AAAA record of .* has 4 octets of data, expected 16/],
      ["short-mx.test", "MX", /MX record of .* has 1 octet of data, at least 3 expected/],
    ] as const
  ) {
    test(`record data of the wrong length is MALFORMED: ${name} ${type}`, async () => {
      const r = await client.query(name, type);
      assert.equal(r.status, "MALFORMED");
      assert.match(r.reason!, pattern);
      assert.deepEqual(r.answers, []);
    });
  }

  test("records of class CH are no answer: NODATA, and resolve finds no address", async () => {
    const r = await client.query("ch-class.test", "A");
    assert.equal(r.status, "NODATA");
    assert.deepEqual(r.answers, []);
    const service = new NameService({ server: hostile.endpoint, timeoutMs: 1500 });
    try {
      const item = await service.resolve("ch-class.test", ["dns"], "all");
      assert.equal(item.status, "no-data");
      assert.ok(!JSON.stringify(item).includes(CHAOS_A));
    } finally {
      service.close();
    }
  });

  for (
    const [name, what] of [
      ["tcp-wrong-id.test", "another id"],
      ["tcp-wrong-question.test", "another name in its question"],
    ]
  ) {
    test(`a TCP reply with ${what} is ignored until the right one comes`, async () => {
      const r = await client.query(name, "A");
      assert.equal(r.transport, "tcp");
      assert.equal(r.status, "NOERROR");
      assert.deepEqual(addresses(r), [HONEST_A]);
    });
  }

  test("a TCP server that never answers is a TIMEOUT at the deadline", async () => {
    const quick = await DnsClient.open(hostile.endpoint, { timeoutMs: 400 });
    try {
      const started = performance.now();
      const r = await quick.query("tcp-silent.test", "A");
      const ms = performance.now() - started;
      assert.equal(r.transport, "tcp");
      assert.equal(r.status, "TIMEOUT");
      assert.match(r.reason!, /timed out after 400 ms/);
      assert.ok(ms >= 350 && ms < 1400, `took ${ms} ms`);
    } finally {
      quick.close();
    }
  });

  test("the OPT record's extended rcode counts: BADVERS, not NODATA", async () => {
    for (const name of ["badvers.test", "rcode16.test"]) {
      const r = await client.query(name, "A");
      assert.equal(r.status, "BADVERS", name);
      assert.equal(r.rcode, "BADVERS");
      assert.equal(dnsStatusExitCode(r.status), ExitCode.Failure);
    }
    assert.equal((await client.query("rcode23.test", "A")).status, "BADCOOKIE");
  });

  test("every rcode has a name: YXDOMAIN for 6, RCODE15 for 15, never ERROR (error)", async () => {
    const named = await client.query("rcode6.test", "A");
    assert.equal(named.status, "YXDOMAIN");
    const unassigned = await client.query("rcode15.test", "A");
    assert.equal(unassigned.status, "RCODE15");
    for (const r of [named, unassigned]) {
      const text = dnsExchangeText(r, plainStyle);
      assert.doesNotMatch(text, /ERROR \(error\)/);
      assert.equal(dnsStatusExitCode(r.status), ExitCode.Failure);
    }
    assert.match(dnsExchangeText(named, plainStyle), /YXDOMAIN \(a name exists that should not\)/);
    assert.match(
      dnsExchangeText(unassigned, plainStyle),
      /RCODE15 \(unassigned response code 15\)/,
    );
  });

  test("the dns view escapes terminal controls from a reply; JSON keeps them exact", async () => {
    const r = await client.query("terminal.test", "CAA");
    assert.equal(r.status, "NOERROR");
    const text = dnsExchangeText(r, plainStyle);
    assert.ok(!text.split("\n").some(hasTerminalControls), text);
    assert.match(text, /\\e\]0;pwned\\x07/);
    const caa = r.answers.find((a) => a.type === "CAA")!;
    assert.equal((caa.value as { tag: string }).tag, `issue${ESCAPES}`);
    assert.equal(JSON.parse(JSON.stringify(r)).answers[0].value.tag, `issue${ESCAPES}`);
  });

  test("the reverse view escapes terminal controls in names and reasons", () => {
    const text = reverseItemText({
      query: "10.0.0.1",
      address: "10.0.0.1",
      status: "ok",
      answers: [{
        source: "hosts",
        status: "ok",
        from: `/tmp/h${ESCAPES}:1`,
        hostname: `evil${ESCAPES}`,
        aliases: [`alias${ESCAPES}`],
        addresses: [{ address: "10.0.0.1", family: 4 }],
        timeMs: 0,
      }],
      timeMs: 0,
    }, plainStyle);
    assert.ok(!text.split("\n").some(hasTerminalControls), text);
    assert.match(text, /evil\\e\]0;pwned/);
  });

  test("reverse of a scoped IPv6 address asks the PTR of the address, zone left out", async () => {
    const service = new NameService({ server: hostile.endpoint, timeoutMs: 1500 });
    try {
      const item = await service.reverse("fe80::1%lo", ["dns"]);
      assert.equal(item.status, "ok");
      assert.equal(item.address, "fe80::1%lo");
      assert.equal(item.answers[0].hostname, HONEST_PTR);
      const ptr = hostile.queries.filter((q) => q.type === "PTR").at(-1);
      assert.equal(
        ptr?.name,
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa",
      );
    } finally {
      service.close();
    }
  });

  test("a FIFO is refused at once as a hosts file or a file read whole", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const started = performance.now();
    await assert.rejects(readTextFile(fifo), NotRegularFileError);
    await assert.rejects(
      checkHostsFile(fifo),
      (e: Error & { exitCode?: number }) =>
        e.exitCode === ExitCode.Usage && /hosts file ".*fifo": not a regular file/.test(e.message),
    );
    const service = new NameService({ hostsPath: fifo, timeoutMs: 300 });
    try {
      const item = await service.resolve("host.test", ["hosts"], "all");
      assert.equal(item.status, "not-found");
    } finally {
      service.close();
    }
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `took ${ms} ms`);
    const hosts = join(dir, "hosts");
    await writeFile(hosts, "fe80::1 linklocal.test\n");
    await checkHostsFile(hosts);
    const byFile = new NameService({ hostsPath: hosts });
    try {
      const item = await byFile.reverse("fe80::1%lo", ["hosts"]);
      assert.equal(item.answers[0].hostname, "linklocal.test");
    } finally {
      byFile.close();
    }
  });
});

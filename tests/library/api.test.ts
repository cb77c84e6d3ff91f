/**
 * The library's facade (mod.ts, lib/api/): what it adds to the engines. Input is checked and
 * refused with an InputError; servers bind loopback on a free port and close by signal; handles
 * are targets; options translate (a DNS server as `{ address, port }`, a services file as
 * `path`); a signal aborted before the start rejects; a probe run returned at once still reports
 * its errors. Loopback only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "../support/paths.ts";
import { startZoneServer } from "../support/fake_dns.ts";
import { closedPort } from "../support/ports.ts";
import {
  getProtoByNumber,
  getServByName,
  getServByPort,
  htonl,
  htons,
  inetAton,
  inetNtoa,
  inetNtop,
  inetPton,
  InputError,
  NegativeError,
  NetError,
  ntohs,
  probe,
  queryDns,
  resolve,
  reverse,
  runEchoTest,
  sendFiles,
  startEchoServer,
  startReceiver,
  waitUntilOpen,
} from "../../mod.ts";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "netdiag-api-"));
}

test("byte-order functions swap on this little-endian host and refuse values out of range", () => {
  assert.equal(htons(20000), 8270);
  assert.equal(ntohs(htons(0xabcd)), 0xabcd);
  assert.equal(htonl(0x7f000001), 0x0100007f);
  for (const bad of [-1, 65536, 1.5, Number.NaN]) {
    assert.throws(() => htons(bad), InputError, `htons(${bad})`);
  }
  assert.throws(() => htonl(2 ** 32), /32-bit value.*0-4294967295/);
});

test("address conversions pack and unpack, and explain what they refuse", () => {
  assert.deepEqual([...inetAton("127.1")], [127, 0, 0, 1]);
  assert.equal(inetNtoa(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
  assert.equal(inetNtop(6, inetPton(6, "::ffff:192.0.2.1")), "::ffff:192.0.2.1");
  assert.throws(
    () => inetAton("1.2.3.4.5"),
    (e) => e instanceof InputError && /inet_aton/.test(e.message),
  );
  assert.throws(() => inetPton(4, "010.0.0.1"), /inet_pton/);
  assert.throws(() => inetPton(5 as 4, "1.2.3.4"), /address family "5"/);
  assert.throws(() => inetNtoa(new Uint8Array(3)), /3 bytes: inet_ntoa needs exactly 4/);
  assert.throws(() => inetNtop(4, new Uint8Array(16)), /16 bytes/);
});

test("service and protocol lookups read the file given as path, and say undefined for no match", async () => {
  const dir = tempDir();
  try {
    const file = join(dir, "services");
    writeFileSync(file, "# test\nwebby 8080/tcp web alt\nwebby 8081/udp\n");
    assert.deepEqual(await getServByName("web", "tcp", { path: file }), {
      name: "webby",
      port: 8080,
      proto: "tcp",
      aliases: ["web", "alt"],
    });
    assert.equal((await getServByPort(8081, undefined, { path: file }))?.proto, "udp");
    assert.equal(await getServByName("http", undefined, { path: file }), undefined);
    // A missing file: the built-in netbase table answers.
    assert.equal((await getServByName("http", "tcp", { path: join(dir, "none") }))?.port, 80);
    assert.equal((await getProtoByNumber(6, { path: join(dir, "none") }))?.name, "tcp");
    await assert.rejects(getServByPort(70000), InputError);
    await assert.rejects(getServByName("two words"), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an echo server binds loopback on a free port, is a test target, and closes by signal", async () => {
  const stop = new AbortController();
  const server = await startEchoServer({ signal: stop.signal });
  assert.equal(server.address, "127.0.0.1");
  assert.equal(server.family, 4);
  assert.ok(server.port > 0);
  const result = await runEchoTest({ target: `127.0.0.1:${server.port}`, count: 5 });
  assert.equal(result.messagesVerified, 5, result.error);
  stop.abort();
  const totals = await server.closed;
  assert.equal(totals.connections, 1);
  const refused = await runEchoTest({ target: server, count: 1, timeoutMs: 1000 });
  assert.equal(refused.messagesVerified, 0);
  assert.match(refused.error ?? "", /refused/);
});

test("echo options that cannot work together are refused before anything binds or connects", async () => {
  await assert.rejects(startEchoServer({ tcp: false }), InputError);
  await assert.rejects(startEchoServer({ mode: "upper", prefix: ">" }), InputError);
  await assert.rejects(
    runEchoTest({ target: { address: "127.0.0.1", port: 9, transport: "udp" }, size: 4 }),
    /does not fit UDP/,
  );
  await assert.rejects(
    runEchoTest({ target: "127.0.0.1:9", stream: true, framed: true }),
    InputError,
  );
  await assert.rejects(runEchoTest({ target: "nonsense" }), InputError);
});

test("a signal aborted before the start rejects with its reason", async () => {
  const aborted = AbortSignal.abort(new Error("stop now"));
  await assert.rejects(startEchoServer({ signal: aborted }), /stop now/);
  await assert.rejects(runEchoTest({ target: "127.0.0.1:9", signal: aborted }), /stop now/);
  await assert.rejects(resolve("localhost", { signal: aborted }), /stop now/);
  await assert.rejects(queryDns("example.com", { signal: aborted }), /stop now/);
  await assert.rejects(
    sendFiles({ files: [], target: "127.0.0.1:9", signal: aborted }),
    /stop now/,
  );
});

test("a second server on a port in use rejects with a NetError EADDRINUSE", async () => {
  await using first = await startEchoServer();
  await assert.rejects(
    startEchoServer({ port: first.port }),
    (e) => e instanceof NetError && e.code === "EADDRINUSE",
  );
});

test("a probe run is returned at once: it iterates its results, and ends with a bad target's error", async () => {
  await using server = await startEchoServer();
  const run = probe({ targets: [`127.0.0.1:${server.port}`] });
  assert.equal(run.progress().planned, 0, "not started before the adapter is loaded");
  const seen = [];
  for await (const result of run) seen.push(result.state);
  assert.deepEqual(seen, ["open"]);
  assert.equal((await run.summary).met, true);

  const bad = probe({ targets: ["127.0.0.1:notaport"] });
  await assert.rejects(bad.summary, InputError);
  await assert.rejects(async () => {
    for await (const _ of bad) { /* the iteration throws the run's error */ }
  }, InputError);
});

test("waitUntilOpen gives up at its deadline when nothing listens", async () => {
  // Below the ephemeral range: a parallel test's listen(0) cannot take it meanwhile.
  const port = await closedPort();
  const started = performance.now();
  const summary = await waitUntilOpen({
    targets: [`127.0.0.1:${port}`],
    waitMs: 400,
    intervalMs: 100,
  }).summary;
  assert.equal(summary.met, false);
  assert.ok(performance.now() - started < 3000);
});

test("files go to a receiver on a Unix socket given as the target; a refused connect rejects", async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "a.txt"), "alpha\n");
    const inbox = join(dir, "in");
    mkdirSync(inbox);
    const received: string[] = [];
    const receiver = await startReceiver(
      { dir: inbox, unix: join(dir, "recv.sock") },
      { onFile: (f) => received.push(`${f.name} ${f.status}`) },
    );
    assert.equal(receiver.path, join(dir, "recv.sock"));
    const sent = await sendFiles({ files: [join(dir, "a.txt")], target: receiver });
    assert.equal(sent.summary.verified, 1);
    const { summary } = await receiver.close();
    assert.equal(summary.saved, 1);
    assert.deepEqual(received, ["a.txt saved"]);

    const gone = await startReceiver({ dir: inbox });
    await gone.close();
    await assert.rejects(
      sendFiles({ files: [join(dir, "a.txt")], target: gone, connectTimeoutMs: 2000 }),
      NegativeError,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("names resolve from a given hosts file and a DNS server given as { address, port }", async () => {
  const dir = tempDir();
  const dns = await startZoneServer({ "app.test": { A: ["192.0.2.7"] } });
  try {
    const hosts = join(dir, "hosts");
    writeFileSync(hosts, "192.0.2.1 box.test box\n");
    const byHosts = await resolve("box", { source: "hosts", hostsFile: hosts });
    assert.equal(byHosts.status, "ok");
    assert.deepEqual(byHosts.answers[0].addresses.map((a) => a.address), ["192.0.2.1"]);
    const back = await reverse("192.0.2.1", { source: "hosts", hostsFile: hosts });
    assert.equal(back.answers[0].hostname, "box.test");

    const [port] = dns.server.split(":").slice(-1).map(Number);
    const server = { address: "127.0.0.1", port };
    const [a] = await queryDns("app.test", { server });
    assert.equal(a.status, "NOERROR");
    assert.deepEqual(a.answers.map((r) => r.value), ["192.0.2.7"]);
    const missing = await resolve("nothing.test", { source: "dns", server });
    assert.equal(missing.status, "not-found");
    await assert.rejects(resolve("bad..name"), InputError);
  } finally {
    dns.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

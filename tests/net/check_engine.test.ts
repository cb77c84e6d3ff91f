/**
 * The check engine (lib/check/) against real loopback servers made by the test: each stage's
 * success, every verdict reason, timings, redirects (against curl), expectations and pingRun.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as dgram from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  check,
  type CheckOptions,
  parseSlo,
  parseStatusRanges,
  pingRun,
} from "../../lib/check/mod.ts";
import { netAdapter } from "../../lib/net/mod.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import {
  startHttpServer,
  startHttpsServer,
  startPlainServer,
  startResetServer,
  startSilentServer,
  type TestServer,
} from "../support/http_servers.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { closedPort } from "../support/ports.ts";

const adapter = await netAdapter();
let pki: TestPki;
let https: TestServer;
let http: TestServer;
const servers: Record<string, TestServer> = {};
let dir: string;

before(async () => {
  pki = makeTestPki();
  dir = mkdtempSync(join(tmpdir(), "netdiag-check-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 svc.test\n");
  https = await startHttpsServer(pki.chain(pki.valid), pki.valid.key);
  http = await startHttpServer();
  for (
    const [name, leaf, chain] of [
      ["expired", pki.expired, true],
      ["notYetValid", pki.notYetValid, true],
      ["wrongHost", pki.wrongHost, true],
      ["selfSigned", pki.selfSigned, false],
      ["incomplete", pki.valid, false],
    ] as const
  ) {
    servers[name] = await startHttpsServer(chain ? pki.chain(leaf) : leaf.cert, leaf.key);
  }
});
after(async () => {
  for (const s of [https, http, ...Object.values(servers)]) await s.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const base = (): Partial<CheckOptions> => ({ ca: pki.ca.cert, timeoutMs: 3000, resolve: [] });
const run = (target: string, extra: Partial<CheckOptions> = {}) =>
  check(adapter, { ...base(), target, ...extra } as CheckOptions);

test("check https: every stage ok, chain, headers and timings that add up", async () => {
  const r = await run(`https://localhost:${https.port}/`, {
    resolve: [`localhost:${https.port}:127.0.0.1`],
  });
  assert.deepEqual(r.verdict, { ok: true }, JSON.stringify(r.verdict));
  assert.equal(r.exitCode, 0);
  const hop = r.hops[0];
  assert.equal(hop.resolve.source, "resolve");
  assert.equal(hop.connect.address, "127.0.0.1");
  assert.deepEqual(hop.tls?.handshake?.alpnOffered, ["http/1.1"]);
  // Bun's node:https server selects no ALPN protocol (its node:tls server does: tls_contract).
  assert.ok(
    [null, "http/1.1"].includes(hop.tls!.handshake!.alpn),
    String(hop.tls?.handshake?.alpn),
  );
  assert.equal(hop.tls?.handshake?.chain.length, 3);
  assert.equal(hop.http?.statusCode, 200);
  assert.equal(hop.http?.headers?.server, "netdiag-test");
  assert.equal(hop.http?.headers?.strictTransportSecurity, "max-age=60");
  assert.equal(hop.http?.headers?.cacheControl, "no-store");
  assert.equal(hop.http?.bodyBytes, "hello GET\n".length);
  const t = hop.timings;
  assert.ok(t.tlsMs > 0 && t.connectMs >= 0);
  const c = t.cumulativeMs;
  assert.ok(
    c.namelookup <= c.connect && c.connect <= c.appconnect && c.appconnect <= c.pretransfer,
  );
  assert.ok(c.pretransfer <= c.starttransfer && c.starttransfer <= c.total);
  assert.ok(Math.abs(t.curl.total - c.total / 1000) < 1e-5);
});

test("check resolves through the hosts file and reports the source", async () => {
  const r = await run(`http://svc.test:${http.port}/`, {
    source: "hosts",
    hostsFile: join(dir, "hosts"),
  });
  assert.equal(r.verdict.ok, true, JSON.stringify(r.verdict));
  assert.equal(r.hops[0].resolve.source, "hosts");
  assert.deepEqual(r.hops[0].resolve.addresses, [{ address: "127.0.0.1", family: 4 }]);
});

test("check reports dns_nxdomain for a name the hosts file lacks (exit 1)", async () => {
  const r = await run(`http://nothere.test:${http.port}/`, {
    source: "hosts",
    hostsFile: join(dir, "hosts"),
  });
  assert.deepEqual([r.verdict.ok, !r.verdict.ok && r.verdict.reason, r.exitCode], [
    false,
    "dns_nxdomain",
    1,
  ]);
});

test("check reports dns_timeout when the DNS server never answers (exit 3)", async () => {
  const sock = dgram.createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", () => r()));
  try {
    const r = await run(`http://svc.test:${http.port}/`, {
      source: "dns",
      server: `127.0.0.1:${sock.address().port}`,
      timeoutMs: 300,
    });
    assert.deepEqual([!r.verdict.ok && r.verdict.reason, r.exitCode], ["dns_timeout", 3]);
  } finally {
    sock.close();
  }
});

test("check reports tcp_refused (exit 1) and tcp_timeout (exit 3)", async () => {
  const port = await closedPort();
  const refused = await run(`127.0.0.1:${port}`);
  assert.deepEqual([!refused.verdict.ok && refused.verdict.reason, refused.exitCode], [
    "tcp_refused",
    1,
  ]);
  const filtered = await startFilteredPort();
  try {
    const r = await run(`127.0.0.1:${filtered.port}`, { timeoutMs: 300 });
    assert.deepEqual([!r.verdict.ok && r.verdict.reason, r.exitCode], ["tcp_timeout", 3]);
  } finally {
    await filtered.close();
  }
});

test("check of host:port is TCP only, and with tls adds the handshake", async () => {
  const r = await run(`127.0.0.1:${https.port}`);
  assert.equal(r.verdict.ok, true);
  assert.equal(r.hops[0].tls, undefined);
  const t = await run(`127.0.0.1:${https.port}`, { tls: true, servername: "localhost" });
  assert.equal(t.verdict.ok, true, JSON.stringify(t.verdict));
  assert.match(t.hops[0].tls!.handshake!.protocol, /^TLSv1/);
});

for (
  const [name, start] of [["a reset mid-handshake", startResetServer], [
    "a plain-TCP server",
    startPlainServer,
  ]] as const
) {
  test(`check reports tls_handshake_failed for ${name}`, async () => {
    const s = await start();
    try {
      const r = await run(`https://127.0.0.1:${s.port}/`);
      assert.deepEqual([
        !r.verdict.ok && r.verdict.stage,
        !r.verdict.ok && r.verdict.reason,
        r.exitCode,
      ], ["tls", "tls_handshake_failed", 3]);
    } finally {
      await s.close();
    }
  });
}

test("check reports tls_timeout for a silent server", async () => {
  const s = await startSilentServer();
  try {
    const r = await run(`https://127.0.0.1:${s.port}/`, { timeoutMs: 300 });
    assert.deepEqual([!r.verdict.ok && r.verdict.reason, r.exitCode], ["tls_timeout", 3]);
  } finally {
    await s.close();
  }
});

for (
  const [server, reason] of [
    ["expired", "tls_cert_expired"],
    ["notYetValid", "tls_cert_not_yet_valid"],
    ["wrongHost", "tls_hostname_mismatch"],
    ["selfSigned", "tls_cert_untrusted"],
    ["incomplete", "tls_cert_incomplete_chain"],
  ] as const
) {
  test(`check reports ${reason}, and insecure still reports the chain`, async () => {
    const url = `https://localhost:${servers[server].port}/`;
    const opts = { resolve: [`localhost:${servers[server].port}:127.0.0.1`] };
    const r = await run(url, opts);
    assert.deepEqual(
      [!r.verdict.ok && r.verdict.reason, r.exitCode],
      [reason, 1],
      JSON.stringify(r.verdict),
    );
    assert.ok(r.hops[0].tls!.handshake!.chain.length >= 1);
    const insecure = await run(url, { ...opts, insecure: true });
    assert.equal(insecure.verdict.ok, true, JSON.stringify(insecure.verdict));
    assert.ok(insecure.hops[0].tls!.handshake!.reasons.length >= 1);
    assert.equal(insecure.hops[0].http?.statusCode, 200);
  });
}

test("check reports tls_cert_untrusted against the system trust store", async () => {
  const r = await run(`https://127.0.0.1:${https.port}/`, { ca: undefined });
  assert.equal(!r.verdict.ok && r.verdict.reason, "tls_cert_untrusted");
});

test("check follows redirects, each hop timed on its own, as curl -L reports", async () => {
  const url = `http://127.0.0.1:${http.port}/redirect/3`;
  const r = await run(url, { follow: true });
  assert.equal(r.verdict.ok, true);
  assert.equal(r.hops.length, 4);
  assert.deepEqual(r.hops.map((h) => h.http?.statusCode), [302, 302, 302, 200]);
  for (const h of r.hops) assert.ok(h.timings.cumulativeMs.total < r.totalMs);
  // Asynchronously: the server runs in this process.
  const curl = await new Promise<string>((resolve, reject) =>
    execFile(
      "curl",
      ["-sS", "-m", "5", "-L", "-o", "/dev/null", "-w", "%{http_code} %{num_redirects}", url],
      (error, stdout) => error ? reject(error) : resolve(stdout),
    )
  );
  assert.equal(curl, `${r.hops[3].http?.statusCode} ${r.hops.length - 1}`);
  const noFollow = await run(url);
  assert.equal(noFollow.hops.length, 1);
  assert.equal(noFollow.hops[0].http?.headers?.location, "/redirect/2");
});

test("check caps redirects: http_too_many_redirects", async () => {
  const r = await run(`http://127.0.0.1:${http.port}/redirect/5`, {
    follow: true,
    maxRedirects: 2,
  });
  assert.deepEqual([!r.verdict.ok && r.verdict.reason, r.exitCode, r.hops.length], [
    "http_too_many_redirects",
    1,
    3,
  ]);
});

test("check times a slow first byte as server time, and http_timeout past the limit", async () => {
  const r = await run(`http://127.0.0.1:${http.port}/slow?ms=300`);
  assert.equal(r.verdict.ok, true);
  assert.ok(r.hops[0].timings.serverMs >= 250, String(r.hops[0].timings.serverMs));
  const t = await run(`http://127.0.0.1:${http.port}/slow?ms=1000`, { timeoutMs: 200 });
  assert.deepEqual([!t.verdict.ok && t.verdict.reason, t.exitCode], ["http_timeout", 3]);
});

test("check reads a large body up to the cap, and chunked bodies whole", async () => {
  const r = await run(`https://127.0.0.1:${https.port}/large?bytes=2000000`, {
    maxBodyBytes: 100_000,
  });
  assert.equal(r.hops[0].http?.bodyBytes, 100_000);
  assert.equal(r.hops[0].http?.bodyTruncated, true);
  assert.equal(r.hops[0].http?.headers?.contentLength, 2_000_000);
  const full = await run(`http://127.0.0.1:${http.port}/large?bytes=300000`);
  assert.equal(full.hops[0].http?.bodyBytes, 300_000);
  assert.equal(full.hops[0].http?.bodyTruncated, false);
  const chunked = await run(`http://127.0.0.1:${http.port}/chunked`, {
    expectBody: /one\nchunk two/,
  });
  assert.equal(chunked.verdict.ok, true, JSON.stringify(chunked.verdict));
  assert.equal(chunked.hops[0].http?.bodyBytes, 20);
});

test("check sends the method and extra headers", async () => {
  const r = await run(`http://127.0.0.1:${http.port}/`, {
    method: "POST",
    headers: ["X-Test: yes"],
    expectBody: /^hello POST yes$/m,
  });
  assert.equal(r.verdict.ok, true, JSON.stringify(r.verdict));
});

test("check expectations: http_status, body, certMinDays, slo", async () => {
  const s = await run(`http://127.0.0.1:${http.port}/status?code=503`);
  assert.deepEqual([!s.verdict.ok && s.verdict.reason, s.exitCode], ["http_status", 1]);
  const s2 = await run(`http://127.0.0.1:${http.port}/status?code=503`, {
    expectStatus: parseStatusRanges("500-599"),
  });
  assert.equal(s2.verdict.ok, true);
  const b = await run(`http://127.0.0.1:${http.port}/`, { expectBody: /goodbye/ });
  assert.equal(!b.verdict.ok && b.verdict.reason, "http_body_mismatch");
  const days = await run(`https://127.0.0.1:${https.port}/`, { certMinDays: 500 });
  assert.equal(!days.verdict.ok && days.verdict.reason, "tls_cert_expiring");
  assert.equal(
    (await run(`https://127.0.0.1:${https.port}/`, { certMinDays: 14 })).verdict.ok,
    true,
  );
  const slo = await run(`http://127.0.0.1:${http.port}/slow?ms=200`, {
    slo: parseSlo("total=100ms,connect=1s"),
  });
  assert.deepEqual([!slo.verdict.ok && slo.verdict.reason, slo.exitCode], ["slo_exceeded", 1]);
  assert.deepEqual(parseSlo("total=500ms,connect=100ms"), { total: 500, connect: 100 });
});

test("check with allAddrs connects to every address and reports each", async () => {
  const port = https.port;
  const r = await run(`https://localhost:${port}/`, {
    resolve: [`localhost:${port}:127.0.0.2,127.0.0.1`],
    allAddrs: true,
  });
  // The server listens on 127.0.0.1 only: 127.0.0.2 is refused, and the check goes on.
  assert.deepEqual(
    r.allAddrs?.map((a) => [a.address, a.status, a.code]),
    [["127.0.0.2", "failed", "ECONNREFUSED"], ["127.0.0.1", "ok", undefined]],
  );
  assert.equal(r.verdict.ok, true, JSON.stringify(r.verdict));
  assert.equal(r.hops[0].connect.address, "127.0.0.1");
  assert.deepEqual(r.hops[0].connect.attempts.map((a) => a.status), ["failed", "ok"]);
});

test("check happy eyeballs moves to the next address when the first is refused", async () => {
  const r = await run(`http://127.0.0.1:${http.port}/`, {
    resolve: [`127.0.0.1:${http.port}:::1,127.0.0.1`],
  });
  // ::1 may be refused (no IPv6 listener) or absent; either way 127.0.0.1 answers.
  assert.equal(r.verdict.ok, true, JSON.stringify(r.verdict));
});

test("pingRun repeats checks and summarises like ping", async () => {
  const seen: number[] = [];
  const { summary } = await pingRun(adapter, {
    target: `127.0.0.1:${http.port}`,
    count: 3,
    intervalMs: 10,
  }, {
    onAttempt: (a) => seen.push(a.seq),
  });
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(summary.sent, 3);
  assert.equal(summary.received, 3);
  assert.equal(summary.lossPercent, 0);
  assert.ok(summary.min! <= summary.avg! && summary.avg! <= summary.max!);
  assert.equal(summary.longestUp, 3);
  const port = await closedPort();
  const down = await pingRun(adapter, { target: `127.0.0.1:${port}`, count: 2, intervalMs: 10 });
  assert.deepEqual([
    down.summary.received,
    down.summary.lossPercent,
    down.summary.longestDown,
    down.summary.exitCode,
  ], [0, 100, 2, 1]);
});

/**
 * `netdiag check` end to end, on both targets, against real loopback servers made by the tests
 * (tests/support/http_servers.ts) with a test PKI (tests/support/test_pki.ts): a valid HTTPS
 * server, an expired certificate, a wrong host name, plain HTTP with redirects, a refused port;
 * expectations (`--expect-status`, `--slo`), `--json` documents validated by the schema, and the
 * status and redirect count against curl's for the same URLs.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runNetdiag, targets } from "../support/cli.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import { startHttpServer, startHttpsServer, type TestServer } from "../support/http_servers.ts";
import { closedPort } from "../support/ports.ts";

let pki: TestPki;
let ok: TestServer, expired: TestServer, wrongHost: TestServer, plain: TestServer;
let refused: number;

before(async () => {
  pki = makeTestPki();
  ok = await startHttpsServer(pki.chain(pki.valid), pki.valid.key);
  expired = await startHttpsServer(pki.chain(pki.expired), pki.expired.key);
  wrongHost = await startHttpsServer(pki.chain(pki.wrongHost), pki.wrongHost.key);
  plain = await startHttpServer();
  refused = await closedPort();
});

after(async () => {
  for (const s of [ok, expired, wrongHost, plain]) await s?.close();
  pki?.cleanup();
});

/** `check ARGS --json`: the document, after checking the exit code and the schema. */
async function checkJson(target: Parameters<typeof runNetdiag>[0], args: string[], code: number) {
  const r = await runNetdiag(target, ["check", ...args, "--json"], { timeoutMs: 20_000 });
  assert.equal(r.code, code, `check ${args.join(" ")}: ${r.stderr}\n${r.stdout.slice(0, 500)}`);
  const doc = JSON.parse(r.stdout);
  assertMatchesSchema("check", doc);
  assert.equal(doc.exitCode, code);
  return doc;
}

for (const target of targets()) {
  const https = (port: number, path = "/") => `https://localhost:${port}${path}`;

  test(`[${target}] check of a valid HTTPS server reports every stage and exits 0`, async () => {
    const r = await runNetdiag(target, ["check", https(ok.port), "--ca", pki.ca.certFile]);
    assert.equal(r.code, 0, r.stderr);
    for (const stage of ["resolve", "connect", "tls", "http"]) {
      assert.match(r.stdout, new RegExp(`^${stage} `, "m"));
    }
    assert.match(r.stdout, /certificate CN=localhost/);
    assert.match(r.stdout, /verified \(localhost\)/);
    assert.match(r.stdout, /GET https:\/\/localhost:\d+\/ → 200 OK/);
    assert.match(r.stdout, /TLS Handshake/);
    assert.match(r.stdout, /^verdict: ok$/m);
  });

  test(`[${target}] check --json of a valid server: stages, chain and curl timings`, async () => {
    const doc = await checkJson(target, [https(ok.port), "--ca", pki.ca.certFile], 0);
    assert.deepEqual(doc.summary.verdict, { ok: true });
    assert.deepEqual(doc.results.map((r: { stage: string }) => r.stage), [
      "resolve",
      "connect",
      "tls",
      "http",
    ]);
    const tls = doc.results[2];
    assert.equal(tls.handshake.chain[0].subject, "CN=localhost");
    assert.equal(tls.handshake.authorized, true);
    const c = doc.summary.timings.cumulativeMs;
    assert.ok(c.namelookup <= c.connect && c.connect <= c.appconnect);
    assert.ok(c.appconnect <= c.pretransfer && c.pretransfer <= c.starttransfer);
    assert.ok(c.starttransfer <= c.total);
  });

  test(`[${target}] an expired certificate fails at tls with tls_cert_expired (exit 1)`, async () => {
    const doc = await checkJson(target, [https(expired.port), "--ca", pki.ca.certFile], 1);
    assert.equal(doc.summary.verdict.stage, "tls");
    assert.equal(doc.summary.verdict.reason, "tls_cert_expired");
    const tls = doc.results.find((r: { stage: string }) => r.stage === "tls");
    assert.ok(tls.handshake.chain[0].daysLeft < 0, "the certificate is still reported");
    const human = await runNetdiag(target, ["check", https(expired.port), "--ca", pki.ca.certFile]);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /expired .*days ago/);
    assert.match(human.stdout, /verdict: failed at tls: tls_cert_expired/);
  });

  test(`[${target}] --insecure reports the expired certificate but passes`, async () => {
    const doc = await checkJson(target, [
      https(expired.port),
      "--ca",
      pki.ca.certFile,
      "--insecure",
    ], 0);
    const tls = doc.results.find((r: { stage: string }) => r.stage === "tls");
    assert.equal(tls.handshake.authorized, false);
    assert.ok(tls.handshake.reasons.includes("expired"));
  });

  test(`[${target}] a certificate for another name fails with tls_hostname_mismatch`, async () => {
    const doc = await checkJson(target, [https(wrongHost.port), "--ca", pki.ca.certFile], 1);
    assert.equal(doc.summary.verdict.reason, "tls_hostname_mismatch");
  });

  test(`[${target}] plain HTTP redirects: 302 without --follow, every hop with -L`, async () => {
    const url = `http://127.0.0.1:${plain.port}/redirect/2`;
    const once = await checkJson(target, [url], 0);
    assert.equal(once.summary.hops, 1);
    assert.equal(once.results.at(-1).statusCode, 302);
    const followed = await checkJson(target, [url, "-L"], 0);
    assert.equal(followed.summary.hops, 3);
    const http = followed.results.filter((r: { stage: string }) => r.stage === "http");
    assert.deepEqual(http.map((h: { statusCode: number }) => h.statusCode), [302, 302, 200]);
    assert.ok(http.every((h: { ms: number }) => h.ms >= 0), "each hop timed on its own");
    const capped = await checkJson(target, [url, "-L", "--max-redirects", "1"], 1);
    assert.equal(capped.summary.verdict.reason, "http_too_many_redirects");
  });

  test(`[${target}] a refused port fails at connect with tcp_refused (exit 1)`, async () => {
    const doc = await checkJson(target, [`127.0.0.1:${refused}`], 1);
    assert.equal(doc.summary.verdict.stage, "connect");
    assert.equal(doc.summary.verdict.reason, "tcp_refused");
    const human = await runNetdiag(target, ["check", `127.0.0.1:${refused}`]);
    assert.equal(human.code, 1);
    assert.match(human.stdout, /verdict: failed at connect: tcp_refused/);
  });

  test(`[${target}] --expect-status turns an unexpected status into http_status`, async () => {
    const url = `http://127.0.0.1:${plain.port}/redirect/1`;
    const doc = await checkJson(target, [url, "--expect-status", "200"], 1);
    assert.equal(doc.summary.verdict.reason, "http_status");
    await checkJson(target, [url, "--expect-status", "300-399"], 0);
  });

  test(`[${target}] --slo fails a check over budget with slo_exceeded`, async () => {
    const slow = `http://127.0.0.1:${plain.port}/slow`;
    const doc = await checkJson(target, [slow, "--slo", "starttransfer=1ms"], 1);
    assert.equal(doc.summary.verdict.reason, "slo_exceeded");
    await checkJson(target, [`http://127.0.0.1:${plain.port}/`, "--slo", "total=5s"], 0);
  });

  test(`[${target}] check --count --ndjson streams one line per check, then ping stats`, async () => {
    const r = await runNetdiag(target, [
      "check",
      `http://127.0.0.1:${plain.port}/`,
      "--count",
      "3",
      "--interval",
      "0",
      "--ndjson",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assertNdjsonMatchesSchema("check", r.stdout);
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.type === "result").length, 3);
    assert.equal(lines.at(-1).summary.received, 3);
  });

  test(`[${target}] bad input exits 2 with an error document`, async () => {
    for (const args of [["ftp://x/"], ["http://127.0.0.1:1/", "--ca", "/nonexistent/ca.pem"]]) {
      const doc = await checkJson(target, args, 2);
      assert.equal(doc.error.kind, "usage");
    }
  });

  test(`[${target}] status and redirect count match curl -sS -L -w for the same URLs`, async () => {
    for (const path of ["/", "/redirect/1", "/redirect/3"]) {
      const url = `http://127.0.0.1:${plain.port}${path}`;
      // Asynchronously: the test servers run in this process and must keep answering.
      const { stdout } = await promisify(execFile)("curl", [
        "-sS",
        "-L",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{num_redirects} %{time_namelookup} %{time_connect} %{time_total}",
        url,
      ], { encoding: "utf8", timeout: 10_000 });
      const curl = stdout.split(" ");
      const doc = await checkJson(target, [url, "-L"], 0);
      const http = doc.results.filter((r: { stage: string }) => r.stage === "http");
      assert.equal(http.at(-1).statusCode, Number(curl[0]), `${path}: status`);
      assert.equal(doc.summary.hops - 1, Number(curl[1]), `${path}: redirects`);
    }
  });
}

/**
 * `netdiag check` and `ping` on Unix sockets, on both targets: `--unix-socket PATH` with a URL
 * (HTTP and HTTPS, the URL's Host header and path, as curl --unix-socket), and a bare
 * `unix:/path` or path target for a connect-only check; the resolve stage skipped, the connect
 * stage naming the path; a missing socket refused (exit 1); the documents match their schemas.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNetdiag, targets } from "../support/cli.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import { startUnixHttpServer, type UnixTestServer } from "../support/http_servers.ts";

let pki: TestPki;
let dir: string;
let plain: UnixTestServer, secure: UnixTestServer;

before(async () => {
  pki = makeTestPki();
  dir = mkdtempSync(join(tmpdir(), "nd-unix-"));
  plain = await startUnixHttpServer(join(dir, "http.sock"));
  secure = await startUnixHttpServer(join(dir, "https.sock"), {
    cert: pki.chain(pki.valid),
    key: pki.valid.key,
  });
});

after(async () => {
  for (const s of [plain, secure]) await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  pki?.cleanup();
});

/** `check ARGS --json`: the document, after checking the exit code and the schema. */
async function checkJson(target: Parameters<typeof runNetdiag>[0], args: string[], code: number) {
  const r = await runNetdiag(target, ["check", ...args, "--json"], { timeoutMs: 20_000 });
  assert.equal(r.code, code, `check ${args.join(" ")}: ${r.stderr}\n${r.stdout.slice(0, 500)}`);
  const doc = JSON.parse(r.stdout);
  assertMatchesSchema("check", doc);
  return doc;
}

const stage = (doc: { results: { stage: string }[] }, name: string) =>
  doc.results.find((r) => r.stage === name) as Record<string, unknown>;

for (const target of targets()) {
  test(`[${target}] check --unix-socket sends the URL's Host and path over the socket`, async () => {
    const doc = await checkJson(target, [
      "http://example.test:8080/host",
      "--unix-socket",
      plain.path,
      "--expect-body",
      "^host example\\.test:8080\n$",
    ], 0);
    assert.equal(stage(doc, "resolve").status, "skipped");
    const connect = stage(doc, "connect");
    assert.equal(connect.status, "ok");
    assert.equal(connect.address, plain.path);
    assert.equal(connect.port, 0);
    assert.equal(stage(doc, "http").statusCode, 200);
  });

  test(`[${target}] check https:// --unix-socket verifies the URL's host name`, async () => {
    const doc = await checkJson(target, [
      "https://localhost/",
      "--unix-socket",
      secure.path,
      "--ca",
      pki.ca.certFile,
    ], 0);
    const tls = stage(doc, "tls") as { handshake: { servername: string; authorized: boolean } };
    assert.equal(tls.handshake.servername, "localhost");
    assert.equal(tls.handshake.authorized, true);
    const human = await runNetdiag(target, [
      "check",
      "https://localhost/",
      "--unix-socket",
      secure.path,
      "--ca",
      pki.ca.certFile,
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^connect +${secure.path.replaceAll(".", "\\.")} `, "m"));
    assert.match(human.stdout, /verified \(localhost\)/);
  });

  test(`[${target}] check unix:PATH and a bare path are connect-only checks`, async () => {
    for (const spelling of [`unix:${plain.path}`, plain.path]) {
      const doc = await checkJson(target, [spelling], 0);
      assert.equal(doc.summary.url, null);
      assert.equal(stage(doc, "resolve").status, "skipped");
      assert.equal(stage(doc, "connect").address, plain.path);
      assert.equal(stage(doc, "http"), undefined);
    }
  });

  test(`[${target}] check of a missing Unix socket is tcp_refused (exit 1)`, async () => {
    const missing = join(dir, "missing.sock");
    const doc = await checkJson(target, [`unix:${missing}`], 1);
    assert.equal(doc.summary.verdict.reason, "tcp_refused");
    assert.equal(stage(doc, "connect").address, missing);
  });

  test(`[${target}] ping over a Unix socket names the path in each attempt`, async () => {
    const r = await runNetdiag(target, [
      "ping",
      "http://localhost/",
      "--unix-socket",
      plain.path,
      "--count",
      "2",
      "--interval",
      "0",
      "--ndjson",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assertNdjsonMatchesSchema("ping", r.stdout);
    const attempts = r.stdout.trim().split("\n").map((l) => JSON.parse(l))
      .filter((l) => l.type === "result");
    assert.equal(attempts.length, 2);
    for (const a of attempts) {
      assert.equal(a.path, plain.path);
      assert.equal(a.family, null);
      assert.equal(a.ok, true);
    }
  });

  test(`[${target}] --unix-socket with an impossible path is bad input (exit 2)`, async () => {
    const r = await runNetdiag(target, [
      "check",
      "http://localhost/",
      "--unix-socket",
      `/tmp/${"x".repeat(120)}`,
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Unix socket path .*sun_path/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

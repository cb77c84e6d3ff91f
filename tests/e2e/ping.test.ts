/**
 * `netdiag ping` end to end, on both targets: repeated TCP connects to a loopback server and to
 * a refused port, HTTPS requests with the test PKI, the summary, the exit codes, and `--json` /
 * `--ndjson` validated by the schemas.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import { startHttpServer, startHttpsServer, type TestServer } from "../support/http_servers.ts";
import { closedPort } from "../support/ports.ts";

let pki: TestPki;
let plain: TestServer, secure: TestServer;
let refused: number;

before(async () => {
  pki = makeTestPki();
  plain = await startHttpServer();
  secure = await startHttpsServer(pki.chain(pki.valid), pki.valid.key);
  refused = await closedPort();
});

after(async () => {
  for (const s of [plain, secure]) await s?.close();
  pki?.cleanup();
});

for (const target of targets()) {
  test(`[${target}] ping of an open port: one line per attempt, then the statistics`, async () => {
    const r = await runNetdiag(target, ["ping", `127.0.0.1:${plain.port}`, "-c", "3", "-i", "0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/^seq=\d+ 127\.0\.0\.1:\d+ connected time=/gm)?.length, 3);
    assert.match(r.stdout, /3 attempts, 3 succeeded, 0% loss/);
    assert.match(r.stdout, /min\/avg\/max\/mdev = /);
    assert.match(r.stdout, /p50\/p90\/p99 = /);
    assert.match(r.stdout, /longest streaks: up 3, down 0/);
  });

  test(`[${target}] ping of a refused port fails every attempt and exits 1`, async () => {
    const r = await runNetdiag(target, ["ping", `127.0.0.1:${refused}`, "-c", "2", "-i", "0"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /failed: tcp_refused/);
    assert.match(r.stdout, /2 attempts, 0 succeeded, 100% loss/);
  });

  test(`[${target}] ping --json and --ndjson match their schemas`, async () => {
    const json = await runNetdiag(target, [
      "ping",
      `127.0.0.1:${refused}`,
      "-c",
      "2",
      "-i",
      "0",
      "--json",
    ]);
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.stdout);
    assertMatchesSchema("ping", doc);
    assert.equal(doc.summary.sent, 2);
    assert.equal(doc.summary.longestDown, 2);
    const nd = await runNetdiag(target, [
      "ping",
      `https://localhost:${secure.port}/`,
      "--ca",
      pki.ca.certFile,
      "-c",
      "2",
      "-i",
      "0",
      "--ndjson",
    ]);
    assert.equal(nd.code, 0, nd.stderr);
    assertNdjsonMatchesSchema("ping", nd.stdout);
    const lines = nd.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.type === "result").map((l) => l.status), [200, 200]);
    assert.equal(lines.at(-1).summary.kind, "http");
  });

  test(`[${target}] --deadline stops an endless ping with its summary`, async () => {
    const r = await runNetdiag(target, [
      "ping",
      `127.0.0.1:${plain.port}`,
      "-i",
      "100ms",
      "--deadline",
      "500ms",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.summary.sent >= 2 && doc.summary.sent <= 6, `sent ${doc.summary.sent}`);
  });

  test(`[${target}] a bad target exits 2 with an error document`, async () => {
    const r = await runNetdiag(target, ["ping", "ftp://x/", "--json"]);
    assert.equal(r.code, 2);
    assertMatchesSchema("ping", JSON.parse(r.stdout));
  });
}

/**
 * `send` and `receive` documents and NDJSON lines match their published JSON Schemas
 * (docs/schema/send*.json, receive*.json): a verified transfer, a refusal, a failure, and the
 * error documents of bad input and a refused connection.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createHash } from "node:crypto";
import {
  collect,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";
import { encodeFrame, encodeFrameHead } from "../../lib/core/framing.ts";
import { netAdapter } from "../../lib/net/mod.ts";

function workspace() {
  const base = mkdtempSync(join(tmpdir(), "netdiag-schema-transfer-"));
  const dir = join(base, "in");
  mkdirSync(dir);
  const file = (name: string, text: string) => {
    writeFileSync(join(base, name), text);
    return join(base, name);
  };
  return { base, dir, file, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

async function startReceiver(target: Target, dir: string, args: string[]) {
  const child = spawnNetdiag(target, ["receive", "--dir", dir, "--port", "0", ...args]);
  const done = collect(child, { timeoutMs: 30_000 });
  const port = await waitForLine(
    child.stderr!,
    (l) => /listening on 127\.0\.0\.1:(\d+)/.exec(l)?.[1],
  );
  return { port, done, stop: () => process.kill(child.pid!, "SIGTERM") };
}

for (const target of targets()) {
  test(`[${target}] a verified send and its receive match the schemas, --json and --ndjson`, async () => {
    const ws = workspace();
    try {
      const files = [ws.file("a.txt", "alpha"), ws.file("b.txt", "")];
      const rx = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const json = await runNetdiag(target, ["send", ...files, rx.port, "--json"]);
      const rdoc = await rx.done;
      assert.equal(json.code, 0, json.stderr);
      assert.equal(rdoc.code, 0, rdoc.stderr);
      const doc = JSON.parse(json.stdout);
      assertMatchesSchema("send", doc);
      assertMatchesSchema("receive", JSON.parse(rdoc.stdout));
      assert.equal(doc.summary.verified, 2);

      rmSync(join(ws.dir, "a.txt"));
      rmSync(join(ws.dir, "b.txt"));
      const rx2 = await startReceiver(target, ws.dir, ["--once", "--ndjson"]);
      const nd = await runNetdiag(target, ["send", ...files, rx2.port, "--ndjson"]);
      const rnd = await rx2.done;
      assert.equal(nd.code, 0, nd.stderr);
      assertNdjsonMatchesSchema("send", nd.stdout);
      assertNdjsonMatchesSchema("receive", rnd.stdout);
      assert.deepEqual(nd.stdout.trim().split("\n").map((l) => JSON.parse(l).type), [
        "result",
        "result",
        "summary",
      ]);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a refused file (it exists) gives documents with ok false and exit 1 that match`, async () => {
    const ws = workspace();
    try {
      const file = ws.file("same.txt", "new");
      writeFileSync(join(ws.dir, "same.txt"), "old");
      const rx = await startReceiver(target, ws.dir, ["--once", "--ndjson"]);
      const r = await runNetdiag(target, ["send", file, rx.port, "--json"]);
      const rnd = await rx.done;
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("send", doc);
      assert.deepEqual([doc.ok, doc.exitCode, doc.results[0].status], [false, 1, "refused"]);
      assert.equal(rnd.code, 1);
      assertNdjsonMatchesSchema("receive", rnd.stdout);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a transfer cut mid-file gives failure documents (exit 3) that match`, async () => {
    const ws = workspace();
    try {
      const rx = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const net = await netAdapter();
      const conn = await net.connect({ transport: "tcp", hostname: "127.0.0.1", port: +rx.port });
      const body = new TextEncoder().encode("hello");
      const hash = createHash("sha256").update(body).digest("hex");
      await conn.write(encodeFrame({ name: "ok.txt", sha256: hash }, body));
      await conn.write(encodeFrameHead({ name: "cut.bin", sha256: hash }, 1000));
      await conn.write(new Uint8Array(10));
      await conn.closeWrite();
      const buf = new Uint8Array(4096);
      for (let i = 0; i < 10 && (await conn.read(buf).catch(() => null)) !== null; i++);
      conn.close();
      const r = await rx.done;
      assert.equal(r.code, 3, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("receive", doc);
      assert.deepEqual(doc.results.map((f: { status: string }) => f.status), ["saved", "failed"]);
      assert.equal(doc.error, undefined, "a failed file is a result, not an error");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] error documents (bad input, refused connection) match the schemas`, async () => {
    const ws = workspace();
    try {
      const missing = await runNetdiag(target, ["send", join(ws.base, "nope"), "9", "--json"]);
      assert.equal(missing.code, 2);
      assertMatchesSchema("send", JSON.parse(missing.stdout));
      const net = await netAdapter();
      const l = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
      const port = String((l.addr as { port: number }).port);
      l.close();
      const file = ws.file("f.txt", "x");
      const refused = await runNetdiag(target, ["send", file, port, "--ndjson"]);
      assert.equal(refused.code, 1);
      assertNdjsonMatchesSchema("send", refused.stdout);
      assert.equal(JSON.parse(refused.stdout).error.kind, "negative");
      const noDir = await runNetdiag(target, ["receive", "--dir", join(ws.base, "x"), "--json"]);
      assert.equal(noDir.code, 2);
      const doc = JSON.parse(noDir.stdout);
      assertMatchesSchema("receive", doc);
      assert.match(doc.error.message, /no such directory/);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a send document with a wrong field fails its schema`, async () => {
    const ws = workspace();
    try {
      const rx = await startReceiver(target, ws.dir, ["--once"]);
      const r = await runNetdiag(target, ["send", ws.file("a.txt", "a"), rx.port, "--json"]);
      await rx.done;
      const doc = JSON.parse(r.stdout);
      doc.results[0].durationMs = "1";
      assert.throws(() => assertMatchesSchema("send", doc), /does not match/);
      delete doc.results[0].durationMs;
      doc.results[0].seconds = 0.1;
      assert.throws(() => assertMatchesSchema("send", doc), /does not match/);
    } finally {
      ws.cleanup();
    }
  });
}

/**
 * `connect` and `listen` --json documents match their published JSON Schemas: success,
 * refused (negative), idle and bind failures, usage errors, TCP, UDP and Unix. The document is
 * one line on stderr; stdout keeps the peer's bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  collect,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { readAll } from "../support/conn.ts";
import { assertMatchesSchema } from "../support/schema.ts";
import { netAdapter } from "../../lib/net/mod.ts";

const enc = new TextEncoder();

/** The one JSON line of a relay command's stderr, parsed (fails unless there is exactly one). */
function stderrDocument(stderr: string) {
  const lines = stderr.split("\n").filter((l) => l.startsWith("{"));
  assert.equal(lines.length, 1, stderr);
  return JSON.parse(lines[0]);
}

/** A TCP server for one client: reads to EOF, answers with `reply`, closes. */
async function replyAfterEof(reply: string) {
  const net = await netAdapter();
  const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const served = listener.accept().then(async (conn) => {
    await readAll(conn);
    await conn.write(enc.encode(reply));
    await conn.closeWrite();
    conn.close();
  });
  return { port: (listener.addr as { port: number }).port, served, close: () => listener.close() };
}

async function startListen(target: Target, args: string[], stdin = "") {
  const child = spawnNetdiag(target, ["listen", ...args]);
  const address = await waitForLine(child.stderr!, (l) => /listening on (\S+)/.exec(l)?.[1]);
  const done = collect(child, { stdin, timeoutMs: 20_000 });
  return { address, port: address.split(":").pop()!, done };
}

for (const target of targets()) {
  test(`[${target}] connect --json: the document on stderr matches docs/schema, stdout the reply`, async () => {
    const server = await replyAfterEof("pong\n");
    try {
      const r = await runNetdiag(target, [
        "connect",
        "127.0.0.1",
        String(server.port),
        "--send",
        "ping\\n",
        "--json",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "pong\n");
      assert.equal(r.stderr.split("\n").filter(Boolean).length, 1, r.stderr);
      const doc = stderrDocument(r.stderr);
      assertMatchesSchema("connect", doc);
      assert.equal(doc.ok, true);
      assert.deepEqual(
        [doc.results[0].address, doc.results[0].port, doc.results[0].family, doc.results[0].end],
        ["127.0.0.1", server.port, 4, "peer"],
      );
      assert.deepEqual([doc.summary.bytesSent, doc.summary.bytesReceived], [5, 5]);
    } finally {
      server.close();
    }
  });

  test(`[${target}] connect --json documents for refused, idle and usage errors match docs/schema`, async () => {
    const net = await netAdapter();
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = String((listener.addr as { port: number }).port);
    const held = listener.accept();
    try {
      const idle = await runNetdiag(target, [
        "connect",
        "127.0.0.1",
        port,
        "--idle-timeout",
        "200ms",
        "--json",
      ]);
      assert.equal(idle.code, 3, idle.stderr);
      const idleDoc = stderrDocument(idle.stderr);
      assertMatchesSchema("connect", idleDoc);
      assert.equal(idleDoc.error.kind, "failure");
      assert.equal(idleDoc.results[0].end, "idle");
      assert.match(idle.stderr, /\nnetdiag: connection to "127\.0\.0\.1:\d+": idle for 200ms\n$/);
    } finally {
      (await held).close();
      listener.close();
    }
    for (
      const [args, code, kind] of [
        [["connect", "127.0.0.1", port, "--send", "x", "--json"], 1, "negative"],
        [["connect", "127.0.0.1", port, "--send", "a", "--send-file", "b", "--json"], 2, "usage"],
        [["connect", "--unix", "/tmp/x.sock", "--udp", "--json"], 2, "usage"],
      ] as const
    ) {
      const r = await runNetdiag(target, args);
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stdout, "");
      const doc = stderrDocument(r.stderr);
      assertMatchesSchema("connect", doc);
      assert.deepEqual([doc.ok, doc.exitCode, doc.error.kind, doc.results], [
        false,
        code,
        kind,
        [],
      ]);
    }
  });

  test(`[${target}] listen --json documents (TCP, UDP, Unix, address in use) match docs/schema`, async () => {
    const tcp = await startListen(target, ["0", "--json"], "to client\n");
    const client = await runNetdiag(target, ["connect", "127.0.0.1", tcp.port, "--send", "hi\\n"]);
    assert.equal(client.code, 0, client.stderr);
    const s = await tcp.done;
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, "hi\n");
    const doc = stderrDocument(s.stderr);
    assertMatchesSchema("listen", doc);
    assert.deepEqual([doc.summary.clients, doc.results.length, doc.results[0].end], [1, 1, "peer"]);
    assert.equal(doc.summary.listening.port, Number(tcp.port));

    const udp = await startListen(target, ["0", "--udp", "--idle-timeout", "500ms", "--json"]);
    const sent = await runNetdiag(target, [
      "connect",
      "--udp",
      "127.0.0.1",
      udp.port,
      "--send",
      "dgram",
      "--idle-timeout",
      "200ms",
      "--json",
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    const sentDoc = stderrDocument(sent.stderr);
    assertMatchesSchema("connect", sentDoc);
    assert.equal(sentDoc.results[0].transport, "udp");
    const u = await udp.done;
    assert.equal(u.code, 0, u.stderr);
    const udpDoc = stderrDocument(u.stderr);
    assertMatchesSchema("listen", udpDoc);
    assert.deepEqual([udpDoc.summary.transport, udpDoc.results[0].bytesReceived], ["udp", 5]);

    const dir = mkdtempSync(join(tmpdir(), "netdiag-unix-"));
    try {
      const path = join(dir, "s.sock");
      const unix = await startListen(target, ["--unix", path, "--json"]);
      const c = await runNetdiag(target, ["connect", "--unix", path, "--send", "x", "--json"]);
      assertMatchesSchema("connect", stderrDocument(c.stderr));
      const unixDoc = stderrDocument((await unix.done).stderr);
      assertMatchesSchema("listen", unixDoc);
      assert.equal(unixDoc.summary.listening.path, path);
      const net = await netAdapter();
      const held = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
      try {
        const busy = String((held.addr as { port: number }).port);
        const inUse = await runNetdiag(target, ["listen", busy, "--json"]);
        assert.equal(inUse.code, 3, inUse.stderr);
        const inUseDoc = stderrDocument(inUse.stderr);
        assertMatchesSchema("listen", inUseDoc);
        assert.match(inUseDoc.error.message, /address already in use/);
      } finally {
        held.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] a listen document with a wrong field fails its schema`, async () => {
    const server = await startListen(target, ["0", "--json"]);
    await runNetdiag(target, ["connect", "127.0.0.1", server.port, "--send", "x"]);
    const doc = stderrDocument((await server.done).stderr);
    assertMatchesSchema("listen", doc);
    doc.results[0].family = 5;
    assert.throws(() => assertMatchesSchema("listen", doc), /does not match/);
  });
}

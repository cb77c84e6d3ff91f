/**
 * Version 2 of the transfer protocol end to end, on every target: a hello answered with the
 * versions taken, files whose SHA-256 follows the body in a trailer frame (verified, corrupted,
 * cut before the trailer), version 1 frames still accepted, `send`'s fallback to version 1 when
 * an older receiver refuses the hello (and `--hash-first`, which never says hello), and a file
 * that changes while it is sent. Raw senders and an old-style receiver are built from the
 * framing encoder.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { runNetdiag, targets } from "../support/cli.ts";
import {
  leftovers,
  rawClient,
  sha256,
  startReceiver,
  workspace,
} from "../support/transfer_peers.ts";
import { startPausingProxy } from "../support/pausing_proxy.ts";
import { encodeFrame, encodeFrameHead, FrameCollector } from "../../lib/core/framing.ts";
import { type Connection, netAdapter } from "../../lib/net/mod.ts";

const EMPTY = new Uint8Array();
const HELLO = { hello: "netdiag-transfer", versions: [1, 2] };

/**
 * A receiver as netdiag's was before version 2: a frame without a name is a malformed header
 * (answered, then the connection closes); a file frame with its hash in the header is checked
 * and answered. Records the headers each connection sent.
 */
async function oldReceiver() {
  const net = await netAdapter();
  const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const connections: Record<string, unknown>[][] = [];
  const serve = async (conn: Connection) => {
    const seen: Record<string, unknown>[] = [];
    connections.push(seen);
    const frames = new FrameCollector({ maxBodyBytes: 1 << 26 });
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await conn.read(buf).catch(() => null);
        if (n === null) break;
        for (const f of frames.push(buf.subarray(0, n))) {
          seen.push(f.header);
          const name = f.header.name;
          if (typeof name !== "string") {
            const error = "malformed header: no file name";
            await conn.write(encodeFrame({ ok: false, name: "", error }, EMPTY));
            return;
          }
          const ok = f.header.sha256 === sha256(f.body);
          await conn.write(
            encodeFrame({ ok, name, ...(ok ? {} : { error: "sha256 mismatch" }) }, EMPTY),
          );
        }
      }
    } finally {
      conn.close();
    }
  };
  const serving = (async () => {
    for (;;) {
      const conn = await listener.accept().catch(() => null);
      if (!conn) return;
      void serve(conn);
    }
  })();
  return {
    port: (listener.addr as { port: number }).port,
    connections,
    close: async () => {
      listener.close();
      await serving;
    },
  };
}

for (const target of targets()) {
  test(`[${target}] a hello, then a file with its sha256 in a trailer, is saved and reported`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const sender = await rawClient(receiver.port);
      const body = randomBytes(5 * 1024 * 1024 + 17);
      await sender.send(encodeFrame(HELLO, EMPTY));
      await sender.send(encodeFrameHead({ name: "t.bin", trailer: "sha256" }, body.length));
      await sender.send(body);
      await sender.send(encodeFrame({ sha256: sha256(body) }, EMPTY));
      const answers = await sender.finish();
      const rx = await receiver.done;
      assert.deepEqual(answers, [
        { size: 0, ok: true, name: "", versions: [1, 2] },
        { size: 0, ok: true, name: "t.bin" },
      ]);
      assert.equal(rx.code, 0, rx.stderr);
      const doc = JSON.parse(rx.stdout);
      assert.equal(doc.results.length, 1, "the hello is not a file");
      assert.equal(doc.results[0].status, "saved");
      assert.equal(doc.results[0].sha256, sha256(body));
      assert.deepEqual(new Uint8Array(readFileSync(join(ws.dir, "t.bin"))), new Uint8Array(body));
      assert.deepEqual(leftovers(ws.dir), []);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a corrupted trailer is refused with a sha256 mismatch (exit 1), nothing kept`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const sender = await rawClient(receiver.port);
      const body = randomBytes(4096);
      const wrong = sha256(Uint8Array.of(1));
      await sender.send(encodeFrameHead({ name: "bad.bin", trailer: "sha256" }, body.length));
      await sender.send(body);
      await sender.send(encodeFrame({ sha256: wrong }, EMPTY));
      const answers = await sender.finish();
      const rx = await receiver.done;
      assert.deepEqual(answers, [{
        size: 0,
        ok: false,
        name: "bad.bin",
        error: `sha256 mismatch: expected ${wrong}, received ${sha256(body)}`,
      }]);
      assert.equal(rx.code, 1, rx.stderr);
      assert.deepEqual(readdirSync(ws.dir), [], "no file, no .part");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a sender gone inside the body or before the trailer fails the file (exit 3)`, async () => {
    for (
      const [sent, reason] of [
        [300, "connection closed after 300 of 1000 bytes"],
        [1000, "connection closed after all 1000 bytes, before their sha256 trailer"],
      ] as const
    ) {
      const ws = workspace();
      try {
        const receiver = await startReceiver(target, ws.dir, ["--once", "--json"]);
        const sender = await rawClient(receiver.port);
        const body = randomBytes(1000);
        await sender.send(encodeFrameHead({ name: "cut.bin", trailer: "sha256" }, body.length));
        await sender.send(body.subarray(0, sent));
        const answers = await sender.finish();
        const rx = await receiver.done;
        assert.deepEqual(answers, [
          { size: 0, ok: false, name: "cut.bin", error: reason, failed: true },
        ]);
        assert.equal(rx.code, 3, rx.stderr);
        assert.deepEqual(readdirSync(ws.dir), [], "no file, no .part");
      } finally {
        ws.cleanup();
      }
    }
  });

  test(`[${target}] version 1 frames (no hello, the hash in the header) are still saved`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const sender = await rawClient(receiver.port);
      const body = randomBytes(70_000);
      await sender.send(encodeFrame({ name: "v1.bin", sha256: sha256(body) }, body));
      const answers = await sender.finish();
      const rx = await receiver.done;
      assert.deepEqual(answers, [{ size: 0, ok: true, name: "v1.bin" }]);
      assert.equal(rx.code, 0, rx.stderr);
      assert.deepEqual(new Uint8Array(readFileSync(join(ws.dir, "v1.bin"))), new Uint8Array(body));
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] send falls back to version 1 when an old receiver refuses its hello; --hash-first never says hello`, async () => {
    const ws = workspace();
    const old = await oldReceiver();
    try {
      const file = join(ws.base, "f.bin");
      const bytes = randomBytes(200_000);
      writeFileSync(file, bytes);
      const r = await runNetdiag(target, ["send", file, String(old.port), "--json"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(JSON.parse(r.stdout).results[0].status, "verified");
      assert.equal(old.connections.length, 2, "the hello's connection, then version 1's");
      assert.deepEqual(old.connections[0], [{ size: 0, ...HELLO }]);
      assert.deepEqual(old.connections[1], [{
        name: "f.bin",
        size: 200_000,
        sha256: sha256(bytes),
      }]);
      const h = await runNetdiag(target, ["send", file, String(old.port), "--hash-first"]);
      assert.equal(h.code, 0, h.stdout + h.stderr);
      assert.equal(old.connections.length, 3, "one connection");
      assert.deepEqual(old.connections[2], [{
        name: "f.bin",
        size: 200_000,
        sha256: sha256(bytes),
      }]);
    } finally {
      await old.close();
      ws.cleanup();
    }
  });

  test(`[${target}] a file written to while it is sent is cut short, not saved torn`, async () => {
    const ws = workspace();
    try {
      const big = join(ws.base, "big.bin");
      writeFileSync(big, randomBytes(8 * 1024 * 1024));
      const receiver = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const proxy = await startPausingProxy(Number(receiver.port), 1024 * 1024);
      try {
        const sending = runNetdiag(target, ["send", big, String(proxy.port)]);
        await proxy.paused;
        // Same size, new bytes near the end: only the times tell.
        const fd = openSync(big, "r+");
        writeSync(fd, Uint8Array.of(1, 2, 3), 0, 3, 7 * 1024 * 1024);
        closeSync(fd);
        proxy.resume();
        const r = await sending;
        const rx = await receiver.done;
        assert.equal(r.code, 3, r.stdout + r.stderr);
        assert.match(
          r.stdout,
          /^failed +"big\.bin" .*the file changed while it was sent .*; the receiver: connection closed after all 8388608 bytes, before their sha256 trailer$/m,
        );
        assert.equal(rx.code, 3, rx.stderr);
        assert.deepEqual(readdirSync(ws.dir), [], "no file, no .part");
      } finally {
        proxy.close();
      }
    } finally {
      ws.cleanup();
    }
  });
}

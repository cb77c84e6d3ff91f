/**
 * The transfer engine as a library (lib/transfer/mod.ts), in-process through the running
 * runtime's socket adapter: a receiver started with `startReceiver`, files sent with
 * `sendFiles`, stopping through an AbortSignal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeFrameHead } from "../../lib/core/framing.ts";
import { netAdapter } from "../../lib/net/mod.ts";
import {
  type ReceivedFile,
  type Receiver,
  sendFiles,
  type SentFile,
  startReceiver,
  type TransferTarget,
} from "../../lib/transfer/mod.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function workspace() {
  const base = mkdtempSync(join(tmpdir(), "netdiag-transfer-engine-"));
  const dir = join(base, "in");
  mkdirSync(dir);
  return { base, dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function tcpTarget(receiver: Receiver): TransferTarget & { transport: "tcp" } {
  assert.ok("port" in receiver.address, "a TCP receiver");
  return { transport: "tcp", host: "127.0.0.1", port: receiver.address.port };
}

test("sendFiles() delivers two files to startReceiver() on port 0, both verified", async () => {
  const ws = workspace();
  const adapter = await netAdapter();
  try {
    const data = { "a.txt": new TextEncoder().encode("alpha"), "b.bin": randomBytes(3 << 20) };
    for (const [name, bytes] of Object.entries(data)) writeFileSync(join(ws.base, name), bytes);
    const settled: ReceivedFile[] = [];
    const receiver = await startReceiver(adapter, { dir: ws.dir, port: 0 }, {
      onFile: (f) => settled.push(f),
    });
    assert.ok("port" in receiver.address && receiver.address.port > 0, "a port was picked");
    assert.equal(receiver.dir, ws.dir);
    const reported: SentFile[] = [];
    let progressCalls = 0;
    const sent = await sendFiles(adapter, {
      files: Object.keys(data).map((n) => join(ws.base, n)),
      target: tcpTarget(receiver),
    }, {
      onFile: (f) => reported.push(f),
      onProgress: () => progressCalls++,
    });
    assert.equal(sent.interrupted, false);
    assert.deepEqual(sent.results.map((r) => [r.name, r.status]), [
      ["a.txt", "verified"],
      ["b.bin", "verified"],
    ]);
    assert.deepEqual(reported, sent.results, "onFile hears every result, in order");
    assert.ok(progressCalls >= 3, `progress after every chunk: ${progressCalls}`);
    assert.equal(sent.results[1].sha256, sha256(data["b.bin"]));
    assert.deepEqual(
      [sent.summary.total, sent.summary.verified, sent.summary.bytes],
      [2, 2, 5 + (3 << 20)],
    );
    assert.ok("port" in sent.summary && sent.summary.port === tcpTarget(receiver).port);
    const { summary, results } = await receiver.stop();
    assert.deepEqual([summary.saved, summary.total, summary.senders], [2, 2, 1]);
    assert.equal(summary.stopped, true);
    assert.deepEqual(results, settled);
    assert.ok("address" in results[0].peer && results[0].peer.family === 4);
    for (const [name, bytes] of Object.entries(data)) {
      assert.equal(sha256(readFileSync(join(ws.dir, name))), sha256(bytes), name);
    }
  } finally {
    ws.cleanup();
  }
});

test("aborting a receiver's signal stops it: the file in progress fails and is deleted", async () => {
  const ws = workspace();
  const adapter = await netAdapter();
  try {
    const abort = new AbortController();
    const receiver = await startReceiver(adapter, { dir: ws.dir, port: 0 }, {}, abort.signal);
    const port = tcpTarget(receiver).port;
    const conn = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port });
    await conn.write(encodeFrameHead({ name: "big.bin", sha256: "0".repeat(64) }, 1 << 20));
    await conn.write(new Uint8Array(64 * 1024));
    for (let i = 0; i < 100 && readdirSync(ws.dir).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(readdirSync(ws.dir).length, 1, "a temporary file while receiving");
    abort.abort();
    const { summary, results } = await receiver.done;
    conn.close();
    assert.equal(summary.stopped, true);
    assert.deepEqual(
      results.map((f) => [f.name, f.status, f.error]),
      [["big.bin", "failed", "the receiver was stopped"]],
    );
    assert.deepEqual(readdirSync(ws.dir), [], "the partial file is gone");
    await assert.rejects(
      adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port, timeoutMs: 2000 }),
      /refused/,
      "no longer listening",
    );
  } finally {
    ws.cleanup();
  }
});

test("over a Unix socket a refused file and a verified one come back as such; once ends it", async () => {
  const ws = workspace();
  const adapter = await netAdapter();
  try {
    writeFileSync(join(ws.base, "same.txt"), "new");
    writeFileSync(join(ws.base, "fresh.txt"), "fresh");
    writeFileSync(join(ws.dir, "same.txt"), "old");
    const path = join(ws.base, "r.sock");
    const receiver = await startReceiver(adapter, { dir: ws.dir, unix: path, once: true });
    assert.deepEqual(receiver.address, { path });
    const sent = await sendFiles(adapter, {
      files: [join(ws.base, "same.txt"), join(ws.base, "fresh.txt")],
      target: { transport: "unix", path },
    });
    assert.deepEqual(sent.results.map((r) => [r.status, r.error]), [
      ["refused", "already exists"],
      ["verified", undefined],
    ]);
    const { summary } = await receiver.done;
    assert.deepEqual([summary.saved, summary.refused, summary.stopped], [1, 1, false]);
    assert.equal(readFileSync(join(ws.dir, "same.txt"), "utf8"), "old");
  } finally {
    ws.cleanup();
  }
});

test("sendFiles() checks every file before connecting and refuses duplicate names", async () => {
  const ws = workspace();
  const adapter = await netAdapter();
  try {
    mkdirSync(join(ws.base, "other"));
    writeFileSync(join(ws.base, "x.txt"), "1");
    writeFileSync(join(ws.base, "other", "x.txt"), "2");
    const target: TransferTarget = { transport: "tcp", host: "127.0.0.1", port: 9 };
    await assert.rejects(
      sendFiles(adapter, {
        files: [join(ws.base, "x.txt"), join(ws.base, "other", "x.txt")],
        target,
      }),
      /both are named "x\.txt"/,
    );
    await assert.rejects(sendFiles(adapter, { files: [ws.dir], target }), /not a regular file/);
    await assert.rejects(sendFiles(adapter, { files: [], target }), /no files given/);
  } finally {
    ws.cleanup();
  }
});

for (const hashFirst of [false, true]) {
  const what = hashFirst
    ? "version 1: the file in progress and the next fail"
    : "version 2: waiting for the hello's answer, nothing was sent";
  test(`aborting sendFiles() against a silent peer stops it, the result interrupted (${what})`, async () => {
    const ws = workspace();
    const adapter = await netAdapter();
    // A peer that accepts and never reads nor answers: the sender blocks on a full socket.
    const listener = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const accepted = listener.accept();
    try {
      writeFileSync(join(ws.base, "big.bin"), randomBytes(16 << 20));
      writeFileSync(join(ws.base, "next.txt"), "next");
      const abort = new AbortController();
      const port = (listener.addr as { port: number }).port;
      const sending = sendFiles(
        adapter,
        {
          files: [join(ws.base, "big.bin"), join(ws.base, "next.txt")],
          target: { transport: "tcp", host: "127.0.0.1", port },
          hashFirst,
        },
        { onConnected: () => setTimeout(() => abort.abort(), 200) },
        abort.signal,
      );
      const result = await sending;
      assert.equal(result.interrupted, true);
      assert.deepEqual(result.results.map((r) => [r.status, r.error]), [
        ["failed", hashFirst ? "interrupted" : "not sent: interrupted"],
        ["failed", "not sent: interrupted"],
      ]);
      await assert.rejects(
        sendFiles(
          adapter,
          {
            files: [join(ws.base, "next.txt")],
            target: { transport: "tcp", host: "127.0.0.1", port },
          },
          {},
          abort.signal,
        ),
        (e) => (e as Error).name === "AbortError",
        "an aborted signal before connecting rejects with its reason",
      );
    } finally {
      (await accepted).close();
      listener.close();
      ws.cleanup();
    }
  });
}

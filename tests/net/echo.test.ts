/**
 * The echo server and client in-process, through the running runtime's socket adapter.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionRecord } from "../../lib/core/echo_serve.ts";
import type { EchoMode } from "../../lib/core/echo_reply.ts";
import {
  decodeFrames,
  encodeFrame,
  encodeFrameHead,
  FrameCollector,
} from "../../lib/core/framing.ts";
import { runEchoTest } from "../../lib/echo/client.ts";
import { type EchoServer, startEchoServer } from "../../lib/echo/server.ts";
import { type Connection, type NetAdapter, netAdapter } from "../../lib/net/mod.ts";
import { type EchoConnectionResult, readSequence } from "../../lib/core/echo_test.ts";
import { concatBytes } from "../../lib/core/bytes.ts";
import { readAll } from "../support/conn.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const FIXED = new Date(2026, 10, 2, 3, 16, 41); // a Monday, day padded with a space

interface Started {
  server: EchoServer;
  sessions: SessionRecord[];
  tcp: number;
  udp: number;
  unix: string;
  dir: string;
}

async function serve(
  adapter: NetAdapter,
  options: Partial<Parameters<typeof startEchoServer>[1]> = {},
): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-echo-"));
  const unix = join(dir, "echo.sock");
  const sessions: SessionRecord[] = [];
  const server = await startEchoServer(adapter, {
    plan: { tcp: 0, udp: 0, unix, samePort: true },
    now: () => FIXED,
    ...options,
  }, { onSession: (r) => sessions.push(r) });
  const port = (t: string) =>
    (server.listening.find((l) => l.transport === t) as { port: number } | undefined)?.port ?? 0;
  return { server, sessions, tcp: port("tcp"), udp: port("udp"), unix, dir };
}

async function shutdown(s: Started) {
  const totals = await s.server.stop();
  rmSync(s.dir, { recursive: true, force: true });
  return totals;
}

/** Reads until `n` bytes arrived or the stream ended. */
async function readBytes(conn: Connection, n: number, timeoutMs = 5000): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    while (got < n) {
      const r = await conn.read(out.subarray(got));
      if (r === null) break;
      got += r;
    }
  } finally {
    clearTimeout(timer);
  }
  return out.subarray(0, got);
}

const EXPECTED: Record<EchoMode, string> = {
  echo: "hello, World",
  upper: "HELLO, WORLD",
  stamp: "[Mon Nov  2 03:16:41 2026] hello, World",
  prefix: "OK...hello, World",
};

for (const mode of ["echo", "upper", "stamp", "prefix"] as EchoMode[]) {
  test(`echo server answers in ${mode} mode over TCP, UDP and Unix sockets, plain and framed`, async () => {
    const adapter = await netAdapter();
    for (const framed of [false, true]) {
      const s = await serve(adapter, { mode, framed });
      try {
        const message = enc.encode("hello, World");
        const send = framed ? encodeFrame({ seq: 7 }, message) : message;
        const expected = EXPECTED[mode];
        const check = (reply: Uint8Array, where: string) => {
          if (!framed) return assert.equal(dec.decode(reply), expected, where);
          const frames = decodeFrames(reply);
          assert.equal(frames.length, 1, where);
          assert.equal(frames[0].header.seq, 7, where);
          assert.equal(frames[0].header.size, enc.encode(expected).length, where);
          assert.equal(dec.decode(frames[0].body), expected, where);
        };
        for (
          const target of [
            { transport: "tcp" as const, hostname: "127.0.0.1", port: s.tcp },
            { transport: "unix" as const, path: s.unix },
          ]
        ) {
          const conn = await adapter.connect(target);
          await conn.write(send);
          await conn.closeWrite();
          check(await readAll(conn), `${mode} ${target.transport} framed=${framed}`);
          conn.close();
        }
        const udp = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
        try {
          await udp.send(send, { hostname: "127.0.0.1", port: s.udp });
          const d = await udp.receive(AbortSignal.timeout(5000));
          check(d.data, `${mode} udp framed=${framed}`);
        } finally {
          udp.close();
        }
      } finally {
        await shutdown(s);
      }
    }
  });
}

test("echo server serves 200 concurrent clients × 200 messages with no byte lost or corrupted", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false } });
  try {
    const result = await runEchoTest(adapter, {
      target: { transport: "tcp", hostname: "127.0.0.1", port: s.tcp },
      connections: 200,
      count: 200,
      size: 100,
      timeoutMs: 20_000,
    });
    assert.equal(result.error, undefined);
    assert.equal(result.mismatch, undefined);
    assert.equal(result.messagesSent, 40_000);
    assert.equal(result.messagesVerified, 40_000);
    assert.equal(result.bytesVerified, 4_000_000);
    assert.equal(result.rtt?.samples, 40_000);
  } finally {
    await waitFor(() => s.server.openConnections === 0, 20_000);
    const totals = await shutdown(s);
    // Other programs on a shared machine may probe the port: count the test's own sessions.
    const full = s.sessions.filter((r) => r.bytesIn === 20_000 && r.bytesOut === 20_000);
    assert.equal(full.length, 200);
    assert.ok(full.every((r) => r.end === "closed" && r.messages > 0));
    assert.ok(totals.bytesIn >= 4_000_000);
    assert.ok(totals.peakConnections > 1);
  }
});

test("runEchoTest() reports each connection's own counts to onConnection as it ends", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, udp: 0, samePort: true } });
  try {
    for (const transport of ["tcp", "udp"] as const) {
      const seen: EchoConnectionResult[] = [];
      const result = await runEchoTest(adapter, {
        target: { transport, hostname: "127.0.0.1", port: transport === "tcp" ? s.tcp : s.udp },
        connections: 3,
        count: 7,
        size: 32,
      }, { onConnection: (c) => seen.push(c) });
      assert.equal(result.messagesVerified, 21, transport);
      assert.deepEqual(seen.map((c) => c.connection).sort(), [1, 2, 3]);
      for (const c of seen) {
        assert.deepEqual(
          [c.messagesSent, c.messagesVerified, c.bytesSent, c.bytesVerified],
          [7, 7, 7 * 32, 7 * 32],
        );
        assert.ok(c.durationMs >= 0 && c.durationMs <= result.durationMs + 1, `${c.durationMs}`);
      }
    }
  } finally {
    await shutdown(s);
  }
});

test("aborting runEchoTest()'s signal ends the test early with what was done, marked interrupted", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false } });
  try {
    const stop = new AbortController();
    const started = performance.now();
    setTimeout(() => stop.abort(), 300);
    const result = await runEchoTest(
      adapter,
      {
        target: { transport: "tcp", hostname: "127.0.0.1", port: s.tcp },
        durationMs: 20_000,
        intervalMs: 5,
      },
      {},
      stop.signal,
    );
    assert.ok(performance.now() - started < 5000, "stopped long before --duration");
    assert.equal(result.interrupted, true);
    assert.equal(result.error, undefined);
    assert.ok(result.messagesVerified > 0);
    // At most the one message in flight when the signal came goes unanswered.
    assert.ok(result.messagesSent - result.messagesVerified <= 1, JSON.stringify(result));
  } finally {
    await shutdown(s);
  }
});

test("aborting startEchoServer()'s signal stops the server as stop() does", async () => {
  const adapter = await netAdapter();
  const stop = new AbortController();
  const server = await startEchoServer(
    adapter,
    { plan: { tcp: 0, samePort: false } },
    {},
    stop.signal,
  );
  stop.abort();
  const totals = await Promise.race([
    server.done,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("still serving")), 5000)),
  ]);
  assert.equal(totals.connections, 0);
  const late = await startEchoServer(
    adapter,
    { plan: { tcp: 0, samePort: false } },
    {},
    stop.signal,
  );
  assert.equal((await late.done).connections, 0, "an aborted signal stops a server at once");
});

test("a client that never reads does not hold up the others", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false } });
  const hog = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: s.tcp });
  try {
    // Several MB the hog never reads back: its own loop blocks on its write, no one else's.
    const big = new Uint8Array(1 << 20);
    const writes = Promise.all(Array.from({ length: 8 }, () => hog.write(big))).catch(() => {});
    const result = await runEchoTest(adapter, {
      target: { transport: "tcp", hostname: "127.0.0.1", port: s.tcp },
      connections: 4,
      count: 50,
      timeoutMs: 5000,
    });
    assert.equal(result.messagesVerified, 200);
    hog.close();
    await writes;
  } finally {
    hog.close();
    await shutdown(s);
  }
});

test("echo server closes a connection idle longer than --idle-timeout", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false }, idleTimeoutMs: 200 });
  try {
    const conn = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: s.tcp });
    await conn.write(enc.encode("ping"));
    assert.equal(dec.decode(await readBytes(conn, 4)), "ping");
    const rest = await readAll(conn, 5000); // ends when the server closes
    assert.equal(rest.length, 0);
    conn.close();
    await waitFor(() => s.sessions.length === 1);
    assert.equal(s.sessions[0].end, "idle-timeout");
    assert.equal(s.sessions[0].bytesIn, 4);
  } finally {
    const totals = await shutdown(s);
    assert.equal(totals.idleTimeouts, 1);
  }
});

test("echo server turns away connections over --max-conns with a message", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false }, maxConns: 2 });
  const target = { transport: "tcp" as const, hostname: "127.0.0.1", port: s.tcp };
  try {
    const a = await adapter.connect(target);
    const b = await adapter.connect(target);
    // Make sure both are being served before the third arrives.
    for (const c of [a, b]) {
      await c.write(enc.encode("x"));
      assert.equal(dec.decode(await readBytes(c, 1)), "x");
    }
    const c = await adapter.connect(target);
    const message = dec.decode(await readAll(c));
    assert.match(message, /too many connections \(limit 2\)/);
    c.close();
    // The first two are still served.
    await a.write(enc.encode("still"));
    assert.equal(dec.decode(await readBytes(a, 5)), "still");
    a.close();
    b.close();
    await waitFor(() => s.sessions.length === 3);
    assert.equal(s.sessions.filter((r) => r.end === "rejected").length, 1);
  } finally {
    const totals = await shutdown(s);
    assert.equal(totals.rejected, 1);
    assert.equal(totals.connections, 2);
  }
});

test("echo server answers an oversized frame with an error frame, closes it, serves others", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, {
    plan: { tcp: 0, samePort: false },
    framed: true,
    maxFrameBytes: 1000,
  });
  const target = { transport: "tcp" as const, hostname: "127.0.0.1", port: s.tcp };
  try {
    const good = await adapter.connect(target);
    const bad = await adapter.connect(target);
    await bad.write(
      concatBytes([encodeFrame({ n: 1 }, enc.encode("ok")), encodeFrameHead({}, 1001)]),
    );
    const frames = decodeFrames(await readAll(bad));
    assert.equal(frames.length, 2);
    assert.equal(dec.decode(frames[0].body), "ok");
    assert.match(String(frames[1].header.error), /frame body too large: 1001 bytes, limit 1000/);
    bad.close();
    await good.write(encodeFrame({}, new Uint8Array(1000)));
    const collector = new FrameCollector();
    const reply = collector.push(
      await readBytes(good, encodeFrame({}, new Uint8Array(1000)).length),
    );
    assert.equal(reply[0].body.length, 1000);
    good.close();
    await waitFor(() => s.sessions.length === 2);
    const failed = s.sessions.find((r) => r.end === "protocol-error");
    assert.match(failed?.error ?? "", /limit 1000/);
  } finally {
    const totals = await shutdown(s);
    assert.equal(totals.protocolErrors, 1);
  }
});

test("echo server rejects a malformed frame header with a protocol error", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false }, framed: true });
  try {
    const conn = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: s.tcp });
    const json = enc.encode('{"size":-5}');
    const bytes = new Uint8Array(4 + json.length);
    new DataView(bytes.buffer).setUint32(0, json.length);
    bytes.set(json, 4);
    await conn.write(bytes);
    const frames = decodeFrames(await readAll(conn));
    assert.match(String(frames[0].header.error), /"size" must be a non-negative integer/);
    conn.close();
  } finally {
    await shutdown(s);
  }
});

test("echo server notes a client that disconnects mid-frame and keeps serving", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false }, framed: true });
  const target = { transport: "tcp" as const, hostname: "127.0.0.1", port: s.tcp };
  try {
    const conn = await adapter.connect(target);
    const frame = encodeFrame({}, new Uint8Array(500));
    await conn.write(frame.subarray(0, frame.length - 100));
    // The head and the first 400 body bytes come back at once (streamed, not buffered).
    await readBytes(conn, frame.length - 100);
    conn.close();
    await waitFor(() => s.sessions.length === 1);
    assert.equal(s.sessions[0].end, "truncated");
    assert.match(s.sessions[0].error ?? "", /after 400 of 500 body bytes/);
    const result = await runEchoTest(adapter, { target, framed: true, count: 20 });
    assert.equal(result.messagesVerified, 20);
  } finally {
    await shutdown(s);
  }
});

test("stop() closes open clients and returns the totals", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter);
  const conn = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: s.tcp });
  await conn.write(enc.encode("abc"));
  await readBytes(conn, 3);
  const udp = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  await udp.send(enc.encode("datagram"), { hostname: "127.0.0.1", port: s.udp });
  await udp.receive(AbortSignal.timeout(5000));
  udp.close();
  const totals = await shutdown(s);
  assert.equal((await readAll(conn)).length, 0);
  conn.close();
  assert.equal(totals.connections, 1);
  assert.equal(totals.datagrams, 1);
  assert.equal(totals.udpPeers, 1);
  assert.equal(totals.bytesIn, 3 + 8);
  assert.deepEqual(s.sessions.map((r) => [r.transport, r.end]).sort(), [
    ["tcp", "shutdown"],
    ["udp", "shutdown"],
  ]);
  assert.equal(await s.server.done, totals);
});

test("once: the server stops after its first client", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false }, once: true });
  const conn = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: s.tcp });
  await conn.write(enc.encode("one"));
  await conn.closeWrite();
  assert.equal(dec.decode(await readAll(conn)), "one");
  conn.close();
  const totals = await s.server.done;
  assert.equal(totals.connections, 1);
  // The port is free again, so a parallel test's listener may take it: a connect that
  // lands there must not become a second session of this server.
  const late = await adapter
    .connect({ transport: "tcp", hostname: "127.0.0.1", port: s.tcp, timeoutMs: 2000 })
    .catch(() => null);
  if (late) {
    await late.write(enc.encode("late")).catch(() => {});
    late.close();
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(s.sessions.length, 1);
  assert.equal(s.sessions[0].bytesIn, 3);
  await shutdown(s);
});

test("PORT alone binds TCP and UDP on the same port, also when 0 picks it", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, udp: 0, samePort: true } });
  try {
    assert.ok(s.tcp > 0);
    assert.equal(s.udp, s.tcp);
  } finally {
    await shutdown(s);
  }
});

test("echo test names the message and first differing offset of a corrupted echo", async () => {
  const adapter = await netAdapter();
  const listener = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as { port: number }).port;
  // A server that flips byte 5 of the third 64-byte message.
  const serving = (async () => {
    const conn = await listener.accept();
    const buf = new Uint8Array(64);
    for (let message = 1; message <= 3; message++) {
      const got = await readBytes(conn, 64);
      buf.set(got);
      if (message === 3) buf[5] ^= 0xff;
      await conn.write(buf.slice(0, got.length));
    }
    await readAll(conn, 2000);
    conn.close();
  })();
  try {
    const result = await runEchoTest(adapter, {
      target: { transport: "tcp", hostname: "127.0.0.1", port },
      count: 10,
      size: 64,
    });
    assert.deepEqual(
      { ...result.mismatch, expected: undefined, actual: undefined },
      { connection: 1, message: 3, offset: 5, expected: undefined, actual: undefined },
    );
    assert.equal(result.mismatch!.actual, result.mismatch!.expected! ^ 0xff);
    assert.equal(result.messagesVerified, 2);
  } finally {
    listener.close();
    await serving;
  }
});

test("echo test --stream verifies a bulk full-duplex run", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, unix: undefined, samePort: false } });
  try {
    const result = await runEchoTest(adapter, {
      target: { transport: "tcp", hostname: "127.0.0.1", port: s.tcp },
      stream: true,
      totalBytes: 8 * 1024 * 1024 + 3,
      connections: 2,
    });
    assert.equal(result.error, undefined);
    assert.equal(result.mismatch, undefined);
    assert.equal(result.bytesSent, 2 * (8 * 1024 * 1024 + 3));
    assert.equal(result.bytesVerified, result.bytesSent);
  } finally {
    await shutdown(s);
  }
});

test("echo test --stream spots an echo that is longer than what was sent", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { tcp: 0, samePort: false }, mode: "prefix" });
  try {
    const result = await runEchoTest(adapter, {
      target: { transport: "tcp", hostname: "127.0.0.1", port: s.tcp },
      stream: true,
      totalBytes: 100_000,
    });
    // The reply is "OK..." + data and the data is random: the first difference lies inside the
    // prefix, at 0 unless the data happens to begin with the prefix's first byte(s).
    const mismatch = result.mismatch!;
    assert.ok(mismatch, "a mismatch is reported");
    assert.ok(mismatch.offset >= 0 && mismatch.offset < 5, `offset ${mismatch.offset}`);
    assert.equal(mismatch.actual, "OK...".charCodeAt(mismatch.offset));
  } finally {
    await shutdown(s);
  }
});

test("echo test over UDP counts lost, duplicated and reordered replies", async () => {
  const adapter = await netAdapter();
  const sock = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const port = (sock.addr as { port: number }).port;
  // Drops message 3, answers message 5 twice, holds message 7 back until after message 8.
  const serving = (async () => {
    let held: { data: Uint8Array; from: { hostname: string; port: number } } | undefined;
    for (;;) {
      let d;
      try {
        d = await sock.receive();
      } catch {
        return;
      }
      const seq = readSequence(d.data)!.seq;
      if (seq === 3) continue;
      if (seq === 7) {
        held = d;
        continue;
      }
      await sock.send(d.data, d.from);
      if (seq === 5) await sock.send(d.data, d.from);
      if (seq === 8 && held) await sock.send(held.data, held.from);
    }
  })();
  try {
    const result = await runEchoTest(adapter, {
      target: { transport: "udp", hostname: "127.0.0.1", port },
      count: 10,
      timeoutMs: 300,
    });
    assert.equal(result.messagesSent, 10);
    assert.equal(result.messagesVerified, 9);
    assert.deepEqual(result.udp, { lost: 1, lossPercent: 10, duplicates: 1, reordered: 1 });
    assert.equal(result.mismatch, undefined);
  } finally {
    sock.close();
    await serving;
  }
});

test("echo test reports a refused connection as an error", async () => {
  const adapter = await netAdapter();
  const listener = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as { port: number }).port;
  listener.close();
  const result = await runEchoTest(adapter, {
    target: { transport: "tcp", hostname: "127.0.0.1", port },
    count: 1,
  });
  assert.match(result.error ?? "", /refused/);
  assert.equal(result.messagesSent, 0);
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("echo test over several UDP sockets counts no loss or reordering against a clean server", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { udp: 0, samePort: false } });
  try {
    const result = await runEchoTest(adapter, {
      target: { transport: "udp", hostname: "127.0.0.1", port: s.udp },
      connections: 4,
      count: 50,
      timeoutMs: 2000,
    });
    assert.equal(result.messagesVerified, 200);
    assert.deepEqual(result.udp, { lost: 0, lossPercent: 0, duplicates: 0, reordered: 0 });
  } finally {
    await shutdown(s);
  }
});

test("once over UDP only: the first datagram is answered, then the server stops", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { udp: 0, samePort: false }, once: true });
  const udp = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  try {
    await udp.send(enc.encode("first"), { hostname: "127.0.0.1", port: s.udp });
    const d = await udp.receive(AbortSignal.timeout(5000));
    assert.equal(dec.decode(d.data), "first");
    const totals = await s.server.done;
    assert.equal(totals.datagrams, 1);
  } finally {
    udp.close();
    await shutdown(s);
  }
});

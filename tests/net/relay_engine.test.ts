/**
 * The relay engine (lib/relay/) as a library, on every socket adapter the runtime can load: dial
 * and relay through a local echo server with an in-memory source and sink, listen for a client,
 * UDP both ways, and the ends: peer, idle, stopped by a signal, refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { concatBytes } from "../../lib/core/bytes.ts";
import type { Connection, Listener, NetAdapter } from "../../lib/net/types.ts";
import {
  bytesSource,
  dial,
  dialDatagram,
  DialError,
  hexDumpSink,
  listen,
  type ListenSession,
  relay,
  relayDatagrams,
  type Sink,
} from "../../lib/relay/mod.ts";
import { readAll } from "../support/conn.ts";

const adapters: NetAdapter[] = [(await import("../../lib/net/node.ts")).nodeAdapter];
if ("Deno" in globalThis) adapters.unshift((await import("../../lib/net/deno.ts")).denoAdapter);
if ("Bun" in globalThis) adapters.unshift((await import("../../lib/net/bun.ts")).bunAdapter);

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Rejects when `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A sink keeping a copy of everything it is given. */
function memorySink(): { sink: Sink; bytes: () => Uint8Array } {
  const chunks: Uint8Array[] = [];
  return { sink: (b) => void chunks.push(b.slice()), bytes: () => concatBytes(chunks) };
}

/** Echoes one connection until the client half-closes, then closes. */
async function echoOnce(conn: Connection): Promise<void> {
  const buf = new Uint8Array(65536);
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      await conn.write(buf.slice(0, n));
    }
    await conn.closeWrite();
  } finally {
    conn.close();
  }
}

async function echoServer(adapter: NetAdapter, path?: string) {
  const listener: Listener = await adapter.listen(
    path ? { transport: "unix", path } : { transport: "tcp", hostname: "127.0.0.1", port: 0 },
  );
  const served = listener.accept().then(echoOnce);
  return { port: (listener.addr as { port: number }).port, served, listener };
}

function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

for (const adapter of adapters) {
  const name = adapter.name;

  test(`[${name}] dial and relay a buffer through an echo server into an in-memory sink`, async () => {
    const server = await echoServer(adapter);
    try {
      const sent = pattern(200_000);
      const d = await dial(adapter, { host: "127.0.0.1", port: server.port, timeoutMs: 2000 });
      assert.deepEqual(d.remote, { address: "127.0.0.1", port: server.port, family: 4 });
      assert.equal(d.addressCount, 1);
      assert.ok(d.connectMs >= 0);
      const out = memorySink();
      const r = await within(
        relay(d.connection, { input: bytesSource(sent), idleTimeoutMs: 5000 }, {
          onData: out.sink,
        }),
        10_000,
        "relay",
      );
      await server.served;
      assert.equal(r.end, "peer");
      assert.equal(r.bytesSent, sent.length);
      assert.equal(r.bytesReceived, sent.length);
      assert.deepEqual(out.bytes(), sent);
      assert.ok(r.durationMs > 0);
    } finally {
      server.listener.close();
    }
  });

  test(`[${name}] dial a Unix socket by path and relay through it`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-relay-"));
    const path = join(dir, "echo.sock");
    const server = await echoServer(adapter, path);
    try {
      const d = await dial(adapter, { path });
      assert.deepEqual(d.remote, { path });
      const out = memorySink();
      const r = await within(
        relay(d.connection, { input: bytesSource(enc.encode("over unix")) }, { onData: out.sink }),
        5000,
        "relay",
      );
      assert.equal(r.end, "peer");
      assert.equal(dec.decode(out.bytes()), "over unix");
    } finally {
      server.listener.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${name}] a signal stops a relay with a silent peer, and a dial before it starts`, async () => {
    const listener = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    const held = listener.accept();
    try {
      const d = await dial(adapter, { host: "127.0.0.1", port });
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), 100);
      const r = await within(relay(d.connection, {}, {}, stop.signal), 5000, "stopped relay");
      clearTimeout(timer);
      assert.equal(r.end, "stopped");
      assert.equal(r.bytesReceived, 0);
      const aborted = AbortSignal.abort(new Error("no thanks"));
      await assert.rejects(dial(adapter, { host: "127.0.0.1", port }, {}, aborted), /no thanks/);
    } finally {
      (await held).close();
      listener.close();
    }
  });

  test(`[${name}] a silent peer ends a relay as idle; a closed port is a DialError, exit 1`, async () => {
    const listener = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    const held = listener.accept();
    const d = await dial(adapter, { host: "127.0.0.1", port });
    const r = await within(relay(d.connection, { idleTimeoutMs: 100 }), 5000, "idle relay");
    assert.equal(r.end, "idle");
    (await held).close();
    listener.close();
    const error = await dial(adapter, { host: "127.0.0.1", port }).catch((e) => e);
    assert.ok(error instanceof DialError, String(error));
    assert.equal(error.exitCode, 1);
    assert.equal(error.failures[0].code, "ECONNREFUSED");
    assert.deepEqual(error.failures[0].target, { address: "127.0.0.1", port, family: 4 });
  });

  test(`[${name}] listen serves one client: its bytes to the sink, the input to it`, async () => {
    const out = memorySink();
    const sessions: ListenSession[] = [];
    let bound: (port: number) => void = () => {};
    const port = new Promise<number>((resolve) => (bound = resolve));
    const served = listen(adapter, {
      transport: "tcp",
      port: 0,
      input: bytesSource(enc.encode("from listener")),
      idleTimeoutMs: 5000,
    }, {
      onListening: (a) => bound((a as { port: number }).port),
      onSession: (s) => sessions.push(s),
      onData: out.sink,
    });
    const client = await adapter.connect({
      transport: "tcp",
      hostname: "127.0.0.1",
      port: await within(port, 5000, "listening"),
    });
    await client.write(enc.encode("ping"));
    await client.closeWrite();
    assert.equal(dec.decode(await readAll(client)), "from listener");
    client.close();
    const result = await within(served, 5000, "listen");
    assert.equal(dec.decode(out.bytes()), "ping");
    assert.equal(result.clients, 1);
    assert.equal(result.bytesReceived, 4);
    assert.equal(result.bytesSent, 13);
    assert.equal(result.stopped, false);
    assert.equal(result.last?.end, "peer");
    assert.equal(sessions.length, 1);
    assert.equal((sessions[0].peer as { address: string }).address, "127.0.0.1");
  });

  test(`[${name}] listen --keep-open ends when its signal stops it`, async () => {
    const stop = new AbortController();
    const served = listen(adapter, { transport: "tcp", port: 0, keepOpen: true }, {
      onListening: () => setTimeout(() => stop.abort(), 50),
    }, stop.signal);
    const result = await within(served, 5000, "stopped listen");
    assert.equal(result.stopped, true);
    assert.equal(result.clients, 0);
  });

  test(`[${name}] dialDatagram and relayDatagrams: send, hear the reply, end idle`, async () => {
    const peer = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const port = (peer.addr as { port: number }).port;
    const answered = peer.receive(AbortSignal.timeout(5000)).then((d) =>
      peer.send(enc.encode(dec.decode(d.data).toUpperCase()), d.from)
    );
    try {
      const d = await dialDatagram(adapter, { host: "127.0.0.1", port });
      assert.deepEqual(d.remote, { address: "127.0.0.1", port, family: 4 });
      const out = memorySink();
      const r = await within(
        relayDatagrams(d.socket, { input: bytesSource(enc.encode("ping")), idleTimeoutMs: 300 }, {
          onData: out.sink,
        }),
        5000,
        "udp relay",
      );
      await answered;
      assert.equal(r.end, "idle");
      assert.equal(r.bytesSent, 4);
      assert.equal(dec.decode(out.bytes()), "PING");
    } finally {
      peer.close();
    }
  });
}

test("hexDumpSink numbers offsets across chunks", async () => {
  let text = "";
  const sink = hexDumpSink((t) => void (text += t));
  await sink(enc.encode("0123456789abcdef"));
  await sink(enc.encode("xy"));
  assert.match(text, /^00000000 {2}30 31 32/);
  assert.match(text, /\n00000010 {2}78 79 /);
});

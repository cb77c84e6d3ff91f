/**
 * One contract for every socket implementation the running runtime can load: under Deno both
 * the Deno and the node:net/node:dgram adapters, under Bun the Bun one and the node one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { procSysNumber } from "../support/proc_sys.ts";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Connection, Listener, NetAdapter } from "../../lib/net/types.ts";
import { NetError, RECEIVE_HIGH_WATER } from "../../lib/net/types.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { readAll } from "../support/conn.ts";
import { holdUnixSocket, leaveStaleSocket } from "../support/unix_sockets.ts";
import { connectAndReset } from "../support/reset_client.ts";
import { closedPort } from "../support/ports.ts";

const adapters: NetAdapter[] = [(await import("../../lib/net/node.ts")).nodeAdapter];
if ("Deno" in globalThis) adapters.unshift((await import("../../lib/net/deno.ts")).denoAdapter);
if ("Bun" in globalThis) adapters.unshift((await import("../../lib/net/bun.ts")).bunAdapter);

async function echoOnce(conn: Connection): Promise<void> {
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    await conn.write(buf.slice(0, n));
  }
  await conn.closeWrite();
  conn.close();
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<NetError> {
  const error = await p.then(() => undefined, (e) => e);
  assert.ok(error instanceof NetError, `expected NetError ${code}, got ${error}`);
  assert.equal(error.code, code, error.message);
  return error;
}

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

/** Accepts until a connection delivers `expected` (at most `tries`), returning what came. */
async function acceptUntil(listener: Listener, expected: string, tries: number): Promise<string> {
  let got = "";
  for (let i = 0; i < tries && got !== expected; i++) {
    const conn = await within(listener.accept(), 5000, "accept");
    // A client that reset or only looked (a liveness probe) reads as empty or failed.
    got = new TextDecoder().decode(await readAll(conn, 2000).catch(() => new Uint8Array()));
    conn.close();
  }
  return got;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const net of adapters) {
  test(`[${net.name}] TCP echo round trip with half-close`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    assert.equal(listener.addr.transport, "tcp");
    const port = (listener.addr as { port: number }).port;
    assert.ok(port > 0, "port 0 reports the chosen port");
    const served = listener.accept().then(echoOnce);
    const conn = await net.connect({ transport: "tcp", hostname: "127.0.0.1", port });
    assert.deepEqual(conn.remoteAddr, { transport: "tcp", hostname: "127.0.0.1", port });
    const payload = new Uint8Array(200_000).map((_, i) => i % 251);
    await conn.write(payload);
    await conn.closeWrite();
    assert.deepEqual(await readAll(conn), payload);
    conn.close();
    await served;
    listener.close();
  });

  test(`[${net.name}] readChunk delivers every byte in order, then null at end of stream`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    const received = listener.accept().then(async (conn) => {
      const parts: Uint8Array[] = [];
      let chunks = 0;
      for (;;) {
        const chunk = await conn.readChunk();
        if (chunk === null) break;
        assert.ok(chunk.length > 0, "a chunk is never empty");
        parts.push(chunk.slice()); // the view is ours only until the next read
        chunks++;
      }
      conn.close();
      return { bytes: Buffer.concat(parts), chunks };
    });
    const conn = await net.connect({ transport: "tcp", hostname: "127.0.0.1", port });
    const payload = new Uint8Array(3_000_000).map((_, i) => (i * 7) % 253);
    await conn.write(payload);
    await conn.closeWrite();
    const { bytes, chunks } = await received;
    assert.equal(bytes.length, payload.length);
    assert.ok(bytes.equals(payload), "the bytes read are the bytes written");
    assert.ok(chunks > 1, `3 MB come in more than one chunk (got ${chunks})`);
    conn.close();
    listener.close();
  });

  test(`[${net.name}] Unix socket echo round trip`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-contract-"));
    const path = join(dir, "echo.sock");
    try {
      const listener = await net.listen({ transport: "unix", path });
      assert.deepEqual(listener.addr, { transport: "unix", path });
      const served = listener.accept().then(echoOnce);
      const conn = await net.connect({ transport: "unix", path });
      await conn.write(new TextEncoder().encode("hello unix"));
      await conn.closeWrite();
      assert.equal(new TextDecoder().decode(await readAll(conn)), "hello unix");
      conn.close();
      await served;
      listener.close();
      assert.equal(existsSync(path), false, "close removes the socket file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${net.name}] UDP echo between two bound sockets`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const serverPort = (server.addr as { port: number }).port;
    assert.ok(serverPort > 0);
    const echoed = server.receive().then((d) => server.send(d.data, d.from));
    await client.send(new TextEncoder().encode("ping"), {
      hostname: "127.0.0.1",
      port: serverPort,
    });
    await echoed;
    const reply = await client.receive(AbortSignal.timeout(5000));
    assert.equal(new TextDecoder().decode(reply.data), "ping");
    assert.equal(reply.from.port, serverPort);
    server.close();
    client.close();
  });

  test(`[${net.name}] a refused connect is a NetError with code ECONNREFUSED`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    listener.close();
    const e = await rejectsWith(
      net.connect({ transport: "tcp", hostname: "127.0.0.1", port, timeoutMs: 5000 }),
      "ECONNREFUSED",
    );
    assert.equal(e.message, `cannot connect to "127.0.0.1:${port}": refused`);
  });

  test(`[${net.name}] a connect that gets no answer times out with ETIMEDOUT`, async () => {
    const filtered = await startFilteredPort();
    try {
      await rejectsWith(
        net.connect({
          transport: "tcp",
          hostname: "127.0.0.1",
          port: filtered.port,
          timeoutMs: 300,
        }),
        "ETIMEDOUT",
      );
    } finally {
      await filtered.close();
    }
  });

  test(`[${net.name}] a connect is cancelled through its AbortSignal`, async () => {
    const filtered = await startFilteredPort();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await rejectsWith(
        net.connect({
          transport: "tcp",
          hostname: "127.0.0.1",
          port: filtered.port,
          signal: controller.signal,
          timeoutMs: 10_000,
        }),
        "ABORTED",
      );
      await rejectsWith(
        net.connect({
          transport: "tcp",
          hostname: "127.0.0.1",
          port: 1,
          signal: controller.signal,
        }),
        "ABORTED",
      );
    } finally {
      await filtered.close();
    }
  });

  test(`[${net.name}] probeConnect to a listener is ok with the local port, closed at once`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    const accepted = listener.accept();
    const outcome = await net.probeConnect({ hostname: "127.0.0.1", port, timeoutMs: 5000 });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const conn = await accepted;
    assert.equal(outcome.ok && outcome.localPort, (conn.remoteAddr as { port: number }).port);
    assert.ok(outcome.latencyMs >= 0);
    assert.equal(await conn.read(new Uint8Array(16)), null, "the probe closed its socket");
    conn.close();
    listener.close();
  });

  test(`[${net.name}] probeConnect to a closed port resolves with ECONNREFUSED`, async () => {
    const port = await closedPort(); // below the ephemeral range: no parallel test takes it
    const outcome = await net.probeConnect({ hostname: "127.0.0.1", port, timeoutMs: 5000 });
    assert.deepEqual({ ...outcome, latencyMs: 0 }, {
      ok: false,
      code: "ECONNREFUSED",
      latencyMs: 0,
    });
  });

  test(`[${net.name}] probeConnect with no answer resolves with ETIMEDOUT at its deadline`, async () => {
    const filtered = await startFilteredPort();
    try {
      // lingerLimit 0: a connect that can be cancelled; 8: where sockets may linger, the fast one.
      const runs = [{ timeoutMs: 300, lingerLimit: 0 }, { timeoutMs: 200, lingerLimit: 8 }];
      const outcomes = await Promise.all(
        runs.map((run) => net.probeConnect({ hostname: "127.0.0.1", port: filtered.port, ...run })),
      );
      for (const [i, { timeoutMs }] of runs.entries()) {
        const o = outcomes[i];
        assert.equal(o.ok ? "open" : o.code, "ETIMEDOUT");
        assert.ok(o.latencyMs >= timeoutMs - 1, `gave up after ${o.latencyMs} ms, too early`);
      }
    } finally {
      await filtered.close();
    }
  });

  test(`[${net.name}] timed-out probeConnects leave at most lingerLimit sockets open`, async () => {
    const filtered = await startFilteredPort();
    // Connects still waiting for the filtered port's answer (only this process connects there).
    const synSent = () =>
      execFileSync("ss", ["-Htn", "state", "syn-sent", `( dport = :${filtered.port} )`], {
        encoding: "utf8",
      }).split("\n").filter((line) => line.trim()).length;
    try {
      const before = synSent();
      const lingerLimit = 4;
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, () =>
          net.probeConnect({
            hostname: "127.0.0.1",
            port: filtered.port,
            timeoutMs: 150,
            lingerLimit,
          })),
      );
      assert.deepEqual(
        new Set(outcomes.map((o) => o.ok ? "open" : o.code)),
        new Set(["ETIMEDOUT"]),
      );
      const allowed = net.probeSocketsLinger ? lingerLimit : 0;
      // Cancelled sockets are released asynchronously: give them a moment (bounded).
      for (let i = 0; i < 40 && synSent() - before > allowed; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(synSent() - before <= allowed, `${synSent() - before} sockets left open`);
    } finally {
      await filtered.close();
    }
  });

  test(`[${net.name}] close releases the port for a new listener`, async () => {
    const first = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (first.addr as { port: number }).port;
    await rejectsWith(net.listen({ transport: "tcp", hostname: "127.0.0.1", port }), "EADDRINUSE");
    first.close();
    await new Promise((r) => setTimeout(r, 20));
    const second = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port });
    assert.equal((second.addr as { port: number }).port, port);
    second.close();
  });

  test(`[${net.name}] accept on a closed listener rejects with CLOSED`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const pending = listener.accept();
    listener.close();
    await rejectsWith(pending, "CLOSED");
  });

  test(`[${net.name}] Unix connects name the same cause on every runtime for what is not a listening socket`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-contract-"));
    const dgram = await holdUnixSocket(join(dir, "dgram.sock"), "dgram");
    try {
      const at = (name: string) => ({ transport: "unix" as const, path: join(dir, name) });
      await rejectsWith(net.connect(at("none")), "ENOENT");
      writeFileSync(join(dir, "plain"), "x");
      mkdirSync(join(dir, "directory"));
      await leaveStaleSocket(join(dir, "stale.sock"));
      const file = await rejectsWith(net.connect(at("plain")), "ENOTSOCK");
      assert.match(file.message, /: not a socket \(a regular file\)$/);
      await rejectsWith(net.connect(at("directory")), "ENOTSOCK");
      const through = await rejectsWith(net.connect(at("plain/x.sock")), "ENOTDIR");
      assert.match(through.message, /: a path component is not a directory$/);
      const other = await rejectsWith(net.connect(at("dgram.sock")), "EPROTOTYPE");
      assert.match(other.message, /: not a stream socket \(a datagram socket\)$/);
      await rejectsWith(net.connect(at("stale.sock")), "ECONNREFUSED");
    } finally {
      await dgram.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${net.name}] a client that resets before it is accepted fails neither accept nor the next client`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    try {
      // Reset while nobody accepts (the listener is busy elsewhere), as a port scanner does.
      for (let i = 0; i < 3; i++) await connectAndReset(port);
      await sleep(50);
      const client = await net.connect({ transport: "tcp", hostname: "127.0.0.1", port });
      await client.write(new TextEncoder().encode("hello"));
      await client.closeWrite();
      // Deno skips the reset ones; Bun and node:net hand them over as connections that end.
      assert.equal(await acceptUntil(listener, "hello", 4), "hello");
      client.close();
    } finally {
      listener.close();
    }
  });

  test(`[${net.name}] Unix listen replaces a stale socket file left by a killed server`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-contract-"));
    const path = join(dir, "stale.sock");
    try {
      await leaveStaleSocket(path);
      assert.ok(existsSync(path), "the stale file is there");
      const listener = await net.listen({ transport: "unix", path });
      const served = listener.accept().then(echoOnce);
      const conn = await net.connect({ transport: "unix", path });
      await conn.write(new TextEncoder().encode("again"));
      await conn.closeWrite();
      assert.equal(new TextDecoder().decode(await readAll(conn)), "again");
      conn.close();
      await served;
      listener.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${net.name}] Unix listen leaves a live server's socket, a datagram socket and a plain file alone`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-contract-"));
    const live = join(dir, "live.sock");
    const dgramPath = join(dir, "dgram.sock");
    const plain = join(dir, "plain");
    const first = await net.listen({ transport: "unix", path: live });
    const dgram = await holdUnixSocket(dgramPath, "dgram");
    try {
      const taken = await rejectsWith(net.listen({ transport: "unix", path: live }), "EADDRINUSE");
      assert.match(taken.message, /address already in use \(a server is accepting connections/);
      // The first server still serves (after the liveness check's own connection).
      const client = await net.connect({ transport: "unix", path: live });
      await client.write(new TextEncoder().encode("still"));
      await client.closeWrite();
      assert.equal(await acceptUntil(first, "still", 2), "still");
      client.close();

      const other = await rejectsWith(
        net.listen({ transport: "unix", path: dgramPath }),
        "EADDRINUSE",
      );
      assert.match(other.message, /another type|datagram/);
      assert.ok(existsSync(dgramPath), "the datagram socket's file stays");

      writeFileSync(plain, "keep me");
      const e = await rejectsWith(net.listen({ transport: "unix", path: plain }), "EADDRINUSE");
      assert.match(e.message, /a regular file, not a socket/);
      assert.equal(readFileSync(plain, "utf8"), "keep me");
    } finally {
      first.close();
      await dgram.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${net.name}] two peers that both write 8 MiB before reading do not deadlock`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    const payload = new Uint8Array(8 << 20).map((_, i) => i % 251);
    // Each side writes everything while reading concurrently (full duplex, like a relay).
    const duplex = async (conn: Connection) => {
      const [received] = await Promise.all([
        readAll(conn, 20_000),
        conn.write(payload).then(() => conn.closeWrite()),
      ]);
      conn.close();
      return received.length;
    };
    try {
      const served = listener.accept().then(duplex);
      const client = await net.connect({ transport: "tcp", hostname: "127.0.0.1", port });
      assert.deepEqual(await Promise.all([duplex(client), served]), [
        payload.length,
        payload.length,
      ]);
    } finally {
      listener.close();
    }
  });

  test(`[${net.name}] an echo loop that pauses reads while writing holds little for a peer that never reads`, async () => {
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as { port: number }).port;
    const accepted = listener.accept();
    const hog = createConnection({ host: "127.0.0.1", port });
    hog.on("error", () => {});
    hog.pause(); // never reads
    const conn = await accepted;
    conn.pauseReadsWhileWriting?.(true);
    try {
      // An echo loop: each answer waits for the hog to take it, which it never does.
      const echoing = (async () => {
        for (;;) {
          const chunk = await conn.readChunk();
          if (chunk === null) return;
          await conn.write(chunk);
        }
      })().catch(() => {});
      const block = new Uint8Array(1 << 20);
      for (let i = 0; i < 24; i++) hog.write(block); // 24 MiB, far past every kernel buffer
      let largest = 0;
      for (let i = 0; i < 30; i++) {
        await sleep(50);
        largest = Math.max(largest, conn.bufferedBytes ?? Infinity);
      }
      // At most the high-water mark plus one read and one unsent answer (Bun reads 512 KiB).
      assert.ok(largest <= RECEIVE_HIGH_WATER + 1024 * 1024, `${largest} bytes held`);
      assert.ok(largest <= 768 * 1024, `${largest} bytes held`);
      hog.destroy();
      conn.close();
      await echoing;
    } finally {
      hog.destroy();
      conn.close();
      listener.close();
    }
  });

  test(`[${net.name}] receiveDrops counts the datagrams dropped for a receiver that does not keep up`, async () => {
    const rmemDefault = procSysNumber("net/core/rmem_default");
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    try {
      assert.equal(server.receiveDrops(), 0, "nothing dropped yet");
      const to = { hostname: "127.0.0.1", port: (server.addr as { port: number }).port };
      // 6 MB at a socket nobody reads from: more than its receive buffer (and node.ts's inbox).
      const datagram = new Uint8Array(1000);
      for (let i = 0; i < 6000; i++) await client.send(datagram, to);
      await sleep(50);
      const drops = server.receiveDrops();
      if (rmemDefault < 4 * 1024 * 1024) assert.ok(drops! > 0, `drops: ${drops}`);
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] connected UDP: datagrams batched in one turn arrive in order; a closed socket's batch fails CLOSED`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const port = (server.addr as { port: number }).port;
    const client = await net.bindDatagram({
      hostname: "127.0.0.1",
      port: 0,
      connect: { hostname: "127.0.0.1", port },
    });
    // Offered where the runtime has sendmmsg for connected sockets: Bun's own UDP sockets.
    assert.equal(client.sendBatched !== undefined, net.name === "bun");
    if (client.sendBatched) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => client.sendBatched!(Uint8Array.of(i))),
      );
      const got: number[] = [];
      for (let i = 0; i < 20; i++) {
        got.push((await server.receive(AbortSignal.timeout(2000))).data[0]);
      }
      assert.deepEqual(got, [...Array(20).keys()]);
      const queued = client.sendBatched(Uint8Array.of(99));
      client.close();
      await rejectsWith(queued, "CLOSED");
      await rejectsWith(client.sendBatched(Uint8Array.of(100)), "CLOSED");
    }
    client.close();
    server.close();
  });

  test(`[${net.name}] UDP receive honours its AbortSignal`, async () => {
    const socket = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    await rejectsWith(socket.receive(AbortSignal.timeout(50)), "ABORTED");
    socket.close();
  });

  test(`[${net.name}] connected UDP to a closed port: refused where ICMP is visible`, async () => {
    const port = await closedPort(); // free for UDP too, below the ephemeral range
    const socket = await net.bindDatagram({
      hostname: "127.0.0.1",
      port: 0,
      connect: { hostname: "127.0.0.1", port },
    });
    await socket.send(new Uint8Array([1]));
    const outcome = await socket.receive(AbortSignal.timeout(500)).then(
      () => "reply",
      (e: NetError) => e.code,
    );
    assert.equal(outcome, socket.reportsUnreachable ? "ECONNREFUSED" : "ABORTED");
    socket.close();
  });
}

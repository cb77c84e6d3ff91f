/**
 * The echo server against hostile clients, in-process: clients that send without reading,
 * trickle a frame a byte at a time, or hold every slot while making no progress, and a UDP flood
 * that overruns the socket's receive buffer. Each must cost a bounded amount and lock nobody out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { procSysNumber } from "../support/proc_sys.ts";
import { createConnection, type Socket } from "node:net";
import type { SessionRecord } from "../../lib/core/echo_serve.ts";
import { decodeFrames, encodeFrame } from "../../lib/core/framing.ts";
import { runEchoTest } from "../../lib/echo/client.ts";
import { type EchoServerOptions, startEchoServer } from "../../lib/echo/server.ts";
import { formatAddress, type NetAdapter, netAdapter } from "../../lib/net/mod.ts";
import { nodeAdapter } from "../../lib/net/node.ts";
import { readAll } from "../support/conn.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The running runtime's adapter, and node.ts's (which reads ahead like Bun's does). */
const adapters: NetAdapter[] = [await netAdapter(), nodeAdapter];

async function serve(adapter: NetAdapter, options: Partial<EchoServerOptions> = {}) {
  const sessions: SessionRecord[] = [];
  const server = await startEchoServer(adapter, {
    plan: { tcp: 0, samePort: false },
    ...options,
  }, { onSession: (r) => sessions.push(r) });
  const port = (server.listening[0] as { port: number }).port;
  return {
    server,
    sessions,
    port,
    target: { transport: "tcp" as const, hostname: "127.0.0.1", port },
  };
}

/** A raw client (node:net) that never reads what it is sent. */
function deafClient(port: number): Socket {
  const socket = createConnection({ host: "127.0.0.1", port });
  socket.on("error", () => {});
  socket.pause();
  return socket;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(10);
  }
}

for (const adapter of adapters) {
  test(`[${adapter.name}] clients that send without reading cost the echo server a bounded buffer each; others are served`, async () => {
    const s = await serve(adapter);
    const hogs = Array.from({ length: 10 }, () => deafClient(s.port));
    try {
      const block = new Uint8Array(1 << 20);
      for (const hog of hogs) for (let i = 0; i < 8; i++) hog.write(block);
      let largest = 0;
      for (let i = 0; i < 30; i++) {
        await sleep(50);
        largest = Math.max(largest, s.server.bufferedBytes().largest);
      }
      const result = await runEchoTest(adapter, {
        target: s.target,
        connections: 4,
        count: 50,
        timeoutMs: 5000,
      });
      assert.equal(result.messagesVerified, 200, result.error);
      // One answer the client does not take, and at most one read ahead (Bun reads 512 KiB).
      assert.ok(largest > 0, "the hogs got through to the server");
      assert.ok(largest <= 768 * 1024, `a never-reading client holds ${largest} bytes`);
    } finally {
      for (const hog of hogs) hog.destroy();
      await s.server.stop();
    }
  });
}

test("a framed client that trickles a frame is closed as stalled, with an error frame; slow whole frames are fine", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, {
    framed: true,
    progress: { frameStallMs: 300, frameProgressBytes: 1024 },
  });
  try {
    // Whole frames 400 ms apart (longer than the stall limit): silence between frames is fine.
    const patient = await adapter.connect(s.target);
    const patientPeer = formatAddress(patient.localAddr);
    for (let seq = 1; seq <= 3; seq++) {
      if (seq > 1) await sleep(400);
      await patient.write(encodeFrame({ seq }, new Uint8Array(10)));
    }
    await patient.closeWrite();
    assert.equal(decodeFrames(await readAll(patient)).length, 3);
    patient.close();

    const trickler = await adapter.connect(s.target);
    const tricklerPeer = formatAddress(trickler.localAddr);
    const frame = encodeFrame({ seq: 1 }, new Uint8Array(100));
    const reply = readAll(trickler, 4000);
    for (let i = 0; i < 40 && s.server.totals().stalled === 0; i++) {
      await trickler.write(frame.subarray(i, i + 1)).catch(() => {});
      await sleep(50);
    }
    const frames = decodeFrames(await reply);
    assert.match(
      String(frames.at(-1)?.header.error),
      /^frame stalled: less than 1024 bytes in 0.3s$/,
    );
    trickler.close();
    // Only these two clients' sessions: tests running in parallel may connect to any loopback
    // port (a "closed" port they picked can be this server's by then).
    const ours = () =>
      [patientPeer, tricklerPeer].map((peer) => s.sessions.find((r) => r.peer === peer)?.end);
    await waitFor(() => ours().every((end) => end !== undefined));
    assert.deepEqual(ours(), ["closed", "stalled"]);
  } finally {
    const totals = await s.server.stop();
    assert.equal(totals.stalled, 1);
  }
});

test("with every slot taken, a new client takes the slot of one trickling below the minimum progress", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, {
    maxConns: 2,
    progress: { progressWindowMs: 300, minProgressBytes: 64 },
  });
  const tricklers = [deafClient(s.port), deafClient(s.port)];
  let trickling = true;
  const dripping = (async () => {
    for (let i = 0; i < 100 && trickling; i++) {
      for (const t of tricklers) t.write(new Uint8Array([i]));
      await sleep(100);
    }
  })();
  try {
    await waitFor(() => s.server.openConnections === 2);
    await sleep(700); // older than a window, with less than 64 bytes in it
    const result = await runEchoTest(adapter, { target: s.target, count: 20, timeoutMs: 5000 });
    assert.equal(result.error, undefined);
    assert.equal(result.messagesVerified, 20);
    await waitFor(() => s.sessions.some((r) => r.end === "evicted"));
    const evicted = s.sessions.find((r) => r.end === "evicted")!;
    assert.match(evicted.error ?? "", /less than 64 bytes in 0.3s while all 2 slots were taken/);
  } finally {
    trickling = false;
    await dripping;
    for (const t of tricklers) t.destroy();
    const totals = await s.server.stop();
    assert.ok(totals.evicted >= 1, `evicted ${totals.evicted}`);
    assert.equal(totals.rejected, 0, "nobody was turned away");
  }
});

test("echo serve counts the datagrams the kernel dropped while it could not keep up", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { udp: 0, samePort: false } });
  try {
    const port = (s.server.listening[0] as { port: number }).port;
    assert.equal(s.server.totals().udpDrops, 0);
    // A flood while this process (and so the server) is blocked: 14 MB, more than any buffer
    // the server may have been given (4 MiB asked for, doubled by the kernel).
    execFileSync("python3", [
      "-c",
      "import socket, sys\n" +
      "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
      "for i in range(10000): s.sendto(b'x' * 1400, ('127.0.0.1', int(sys.argv[1])))",
      String(port),
    ]);
    await waitFor(() => (s.server.totals().udpDrops ?? 0) > 0 && s.server.totals().datagrams > 0);
  } finally {
    const totals = await s.server.stop();
    assert.ok((totals.udpDrops ?? 0) > 0, `udpDrops ${totals.udpDrops}`);
    assert.ok(totals.datagrams + totals.udpDrops! <= 10_000);
  }
});

test("echo serve asks for a bigger UDP receive buffer: Bun gets it, Deno cannot set one", async () => {
  const adapter = await netAdapter();
  const s = await serve(adapter, { plan: { udp: 0, samePort: false } });
  try {
    const port = (s.server.listening[0] as { port: number }).port;
    const ss = execFileSync("ss", ["-Huamn", `( sport = :${port} )`], { encoding: "utf8" });
    const rb = Number(/skmem:\(r\d+,rb(\d+)/.exec(ss)?.[1]);
    const rmemDefault = procSysNumber("net/core/rmem_default");
    const rmemMax = procSysNumber("net/core/rmem_max");
    if (adapter.name === "deno") {
      assert.equal(rb, rmemDefault, "Deno.listenDatagram takes no buffer size");
    } else {
      // The kernel doubles the request (for its bookkeeping) and caps it at rmem_max.
      assert.equal(rb, 2 * Math.min(4 * 1024 * 1024, rmemMax));
    }
  } finally {
    await s.server.stop();
  }
});

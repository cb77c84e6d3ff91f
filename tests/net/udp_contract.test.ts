/**
 * The datagram half of the adapter contract, past the basics in contract.test.ts: what the Bun
 * adapter's own UDP (Bun.udpSocket, lib/net/bun_udp.ts) must do as node:dgram and Deno do. Runs
 * every adapter the runtime can load: `deno` and `node` under Deno, `bun` and `node` under Bun.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { DatagramSocket, NetAdapter } from "../../lib/net/types.ts";
import { NetError } from "../../lib/net/types.ts";
import { closedPort } from "../support/ports.ts";

const adapters: NetAdapter[] = [(await import("../../lib/net/node.ts")).nodeAdapter];
if ("Deno" in globalThis) adapters.unshift((await import("../../lib/net/deno.ts")).denoAdapter);
if ("Bun" in globalThis) adapters.unshift((await import("../../lib/net/bun.ts")).bunAdapter);

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const portOf = (s: DatagramSocket) => (s.addr as { port: number }).port;

async function rejectsWith(p: Promise<unknown>, code: string): Promise<NetError> {
  const error = await p.then(() => undefined, (e) => e);
  assert.ok(error instanceof NetError, `expected NetError ${code}, got ${error}`);
  assert.equal(error.code, code, error.message);
  return error;
}

/** Whether ::1 can be bound here (a container may have IPv6 off). */
function hasIpv6Loopback(): boolean {
  try {
    return execFileSync("ip", ["-6", "addr", "show", "dev", "lo"]).toString().includes("::1");
  } catch {
    return false;
  }
}

for (const net of adapters) {
  test(`[${net.name}] an unconnected socket goes on receiving after sending to a closed port`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    try {
      assert.equal(server.reportsUnreachable, false);
      // The port-unreachable this earns must not fail the server's next receive.
      await server.send(text("to nobody"), { hostname: "127.0.0.1", port: await closedPort() });
      await new Promise((r) => setTimeout(r, 50));
      await client.send(text("hello"), { hostname: "127.0.0.1", port: portOf(server) });
      const d = await server.receive(AbortSignal.timeout(5000));
      assert.equal(decode(d.data), "hello");
      assert.deepEqual(d.from, { hostname: "127.0.0.1", port: portOf(client) });
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] a connected socket sends to its peer by default and hears its replies`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const peer = { hostname: "127.0.0.1", port: portOf(server) };
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0, connect: peer });
    try {
      await client.send(text("one"));
      await client.send(text("two"), peer); // the peer named explicitly is the same peer
      for (const expected of ["one", "two"]) {
        const d = await server.receive(AbortSignal.timeout(5000));
        assert.equal(decode(d.data), expected);
        await server.send(d.data.slice().reverse(), d.from);
      }
      const replies = [];
      for (let i = 0; i < 2; i++) replies.push(await client.receive(AbortSignal.timeout(5000)));
      assert.deepEqual(replies.map((r) => decode(r.data)), ["eno", "owt"]);
      assert.deepEqual(replies[0].from, peer);
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] datagrams arrive whole, in order, each in a buffer of its own`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    try {
      const to = { hostname: "127.0.0.1", port: portOf(server) };
      const sizes = [0, 1, 512, 1472, 9000, 65507];
      for (const [i, size] of sizes.entries()) await client.send(new Uint8Array(size).fill(i), to);
      const got = [];
      for (let i = 0; i < sizes.length; i++) {
        got.push(await server.receive(AbortSignal.timeout(5000)));
      }
      assert.deepEqual(got.map((d) => d.data.length), sizes);
      // Nothing later overwrote an earlier datagram's bytes.
      for (const [i, d] of got.entries()) assert.ok(d.data.every((b) => b === i), `datagram ${i}`);
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] a send to a host name reaches its address`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    try {
      await client.send(text("by name"), { hostname: "localhost", port: portOf(server) });
      const d = await server.receive(AbortSignal.timeout(5000));
      assert.equal(decode(d.data), "by name");
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] binding a UDP port that is taken fails with EADDRINUSE`, async () => {
    const first = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    try {
      const e = await rejectsWith(
        net.bindDatagram({ hostname: "127.0.0.1", port: portOf(first) }),
        "EADDRINUSE",
      );
      assert.match(e.message, new RegExp(`"127\\.0\\.0\\.1:${portOf(first)}"`));
    } finally {
      first.close();
    }
  });

  test(`[${net.name}] close ends a waiting receive with CLOSED and later sends too`, async () => {
    const socket = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const waiting = socket.receive();
    socket.close();
    await rejectsWith(waiting, "CLOSED");
    await rejectsWith(socket.receive(), "CLOSED");
    await rejectsWith(socket.send(text("x"), { hostname: "127.0.0.1", port: 9 }), "CLOSED");
  });

  test(`[${net.name}] a socket asking for kernel buffer sizes still echoes`, async () => {
    const buffers = { receiveBufferBytes: 1 << 20, sendBufferBytes: 1 << 20 };
    const server = await net.bindDatagram({ ...buffers, hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    try {
      await client.send(text("sized"), { hostname: "127.0.0.1", port: portOf(server) });
      const d = await server.receive(AbortSignal.timeout(5000));
      await server.send(d.data, d.from);
      assert.equal(decode((await client.receive(AbortSignal.timeout(5000))).data), "sized");
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] UDP over IPv6 loopback, connected and not`, {
    skip: hasIpv6Loopback() ? false : "no ::1 on lo",
  }, async () => {
    const server = await net.bindDatagram({ hostname: "::1", port: 0 });
    const peer = { hostname: "::1", port: portOf(server) };
    const client = await net.bindDatagram({ hostname: "::1", port: 0, connect: peer });
    try {
      await client.send(text("six"));
      const d = await server.receive(AbortSignal.timeout(5000));
      assert.equal(d.from.hostname, "::1");
      await server.send(d.data, d.from);
      assert.equal(decode((await client.receive(AbortSignal.timeout(5000))).data), "six");
    } finally {
      server.close();
      client.close();
    }
  });

  test(`[${net.name}] a thousand datagrams in a burst are all received or counted as dropped`, async () => {
    const server = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
    const client = await net.bindDatagram({
      hostname: "127.0.0.1",
      port: 0,
      connect: { hostname: "127.0.0.1", port: portOf(server) },
    });
    try {
      const sends = [];
      for (let i = 0; i < 1000; i++) sends.push(client.send(new Uint8Array(100)));
      await Promise.all(sends);
      let received = 0;
      const stop = AbortSignal.timeout(1000);
      for (; received < 1000; received++) {
        if (await server.receive(stop).then(() => false, () => true)) break;
      }
      const dropped = server.receiveDrops() ?? 0;
      assert.ok(received + dropped >= 1000, `received ${received}, dropped ${dropped}`);
    } finally {
      server.close();
      client.close();
    }
  });
}

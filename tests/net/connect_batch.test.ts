/**
 * lib/net/connect_batch.ts where the runtime has it (Linux: Bun, or Deno with --allow-ffi;
 * elsewhere the tests check that there is none): the same outcomes as the adapter's probeConnect for open, closed and
 * filtered loopback ports, self-connects reported with their local port, aborts that stop it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { type BatchConnect, connectBatcher } from "../../lib/net/connect_batch.ts";
import type { ProbeConnectOutcome } from "../../lib/net/types.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { closedPort } from "../support/ports.ts";

const batcher = await connectBatcher();
const deno = (globalThis as { Deno?: typeof Deno }).Deno;
const expected = process.platform === "linux" &&
  ("Bun" in globalThis || deno?.permissions.querySync({ name: "ffi" }).state === "granted");

/** A loopback listener that accepts and closes. */
function listen(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve({ port: (server.address() as { port: number }).port, server });
    })
  );
}

/** Runs `connects` through the batcher and returns each outcome by its task. */
async function run(
  connects: BatchConnect<number>[],
  options: { window?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Map<number, ProbeConnectOutcome>> {
  const outcomes = new Map<number, ProbeConnectOutcome>();
  const queue = [...connects];
  await batcher!.run({
    next: () => queue.shift(),
    onOutcome: (task, outcome) => {
      assert.ok(!outcomes.has(task), `task ${task} settled twice`);
      outcomes.set(task, outcome);
    },
    window: options.window ?? 64,
    timeoutMs: options.timeoutMs ?? 2000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return outcomes;
}

test("a connect batcher exists exactly where the runtime offers one (Linux: Bun, Deno --allow-ffi)", () => {
  assert.equal(batcher !== undefined, expected);
});

test("the batcher finds a listener open and released ports refused, each once", {
  skip: !batcher,
}, async () => {
  const { port, server } = await listen();
  // Below the ephemeral range: a parallel test's listen(0) cannot take it meanwhile.
  const closed = { port: await closedPort() };
  try {
    const connects = [port, closed.port, port, closed.port].map((p, task) => ({
      task,
      address: "127.0.0.1",
      port: p,
    }));
    const outcomes = await run(connects, { window: 2 });
    assert.equal(outcomes.size, 4);
    for (const task of [0, 2]) {
      const o = outcomes.get(task)!;
      assert.ok(o.ok, `task ${task}: ${JSON.stringify(o)}`);
      assert.ok(o.ok && o.localPort > 0 && o.localPort !== port);
    }
    for (const task of [1, 3]) {
      assert.deepEqual({ ...outcomes.get(task)!, latencyMs: 0 }, {
        ok: false,
        code: "ECONNREFUSED",
        latencyMs: 0,
      });
    }
  } finally {
    server.close();
  }
});

test("the batcher reports IPv6 loopback and refuses what is not an address literal", {
  skip: !batcher,
}, async () => {
  assert.equal(batcher!.accepts("::1"), true);
  assert.equal(batcher!.accepts("fe80::1%eth0"), false);
  assert.equal(batcher!.accepts("localhost"), false);
  const outcomes = await run([{ task: 0, address: "::1", port: 1 }]);
  assert.equal(outcomes.get(0)!.ok, false);
  assert.match((outcomes.get(0) as { code: string }).code, /^(ECONNREFUSED|EADDRNOTAVAIL)$/);
});

test("the batcher gives up an unanswered connect at its timeout (ETIMEDOUT)", {
  skip: !batcher,
}, async () => {
  const filtered = await startFilteredPort();
  try {
    const started = performance.now();
    const outcomes = await run([{ task: 0, address: "127.0.0.1", port: filtered.port }], {
      timeoutMs: 150,
    });
    const elapsed = performance.now() - started;
    const o = outcomes.get(0)!;
    assert.equal(!o.ok && o.code, "ETIMEDOUT");
    assert.ok(elapsed >= 140 && elapsed < 5000, `${elapsed} ms`);
  } finally {
    await filtered.close();
  }
});

test("an aborted batch starts nothing more and settles what is in flight", {
  skip: !batcher,
}, async () => {
  const abort = new AbortController();
  let pulled = 0;
  const outcomes: ProbeConnectOutcome[] = [];
  await batcher!.run({
    next: () => {
      if (pulled === 5) abort.abort();
      return pulled < 1000 ? { task: pulled++, address: "127.0.0.1", port: 1 } : undefined;
    },
    onOutcome: (_, outcome) => outcomes.push(outcome),
    window: 8,
    timeoutMs: 1000,
    signal: abort.signal,
  });
  assert.ok(pulled >= 6 && pulled < 20, `pulled ${pulled}`);
  assert.equal(outcomes.length, pulled);
});

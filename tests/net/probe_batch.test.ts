/**
 * A scan large enough for the connect batcher (Bun on Linux; the sliding window elsewhere) keeps
 * the engine's rules: retries after a timeout, attempts counted, open / closed / filtered with
 * their codes, results in plan order, the same results from the runtime's adapter as from one
 * the caller chose (which never uses the batcher).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { netAdapter } from "../../lib/net/adapter.ts";
import { type IpProbeResult, probe } from "../../lib/probe/mod.ts";
import { MIN_BATCH_PROBES } from "../../lib/probe/shard_probe.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { closedPort } from "../support/ports.ts";

/**
 * The scan's own loopback address: its range covers hundreds of ports around the ephemeral ones,
 * which on 127.0.0.1 would connect to the servers of tests running beside it (and count their
 * filtered ports as its own).
 */
const SCAN_HOST = "127.0.0.3";

function listen(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve) =>
    server.listen(0, SCAN_HOST, () => {
      resolve({ port: (server.address() as { port: number }).port, server });
    })
  );
}

test("a batch-sized scan retries a filtered port, finds the listener and refusals, in order", async () => {
  const filtered = await startFilteredPort(SCAN_HOST);
  const open = await listen();
  // Below the ephemeral range: a parallel test's listen(0) cannot take it meanwhile.
  const gone = { port: await closedPort() };
  const ports = [filtered.port, open.port, gone.port];
  const lo = Math.max(1, Math.min(...ports) - 10);
  const hi = Math.max(lo + MIN_BATCH_PROBES, Math.max(...ports) + 10);
  try {
    const adapter = await netAdapter();
    const targets = [`${SCAN_HOST}:${lo}-${hi}`, `${SCAN_HOST}:${ports.join(",")}`];
    const run = probe(adapter, { targets, retries: 1, timeoutMs: 200, threads: 1 });
    const { summary, results } = await run.result();
    assert.equal(summary.planned, hi - lo + 1 + 3);
    assert.equal(results.length, summary.planned);
    const byIndex = results as IpProbeResult[];
    assert.deepEqual(
      byIndex.slice(0, hi - lo + 1).map((r) => r.port),
      Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
    );
    const tail = byIndex.slice(-3); // a port list is planned in port order
    const fields = (
      r: IpProbeResult,
    ) => [r.port, r.state, r.code, r.attempts, r.latencyMs === null];
    const expected: (string | number | boolean | null)[][] = [
      [filtered.port, "filtered", "ETIMEDOUT", 2, true],
      [open.port, "open", null, 1, false],
      [gone.port, "closed", "ECONNREFUSED", 1, false],
    ];
    assert.deepEqual(tail.map(fields), expected.sort((a, b) => Number(a[0]) - Number(b[0])));
    for (const r of tail) {
      assert.deepEqual(fields(byIndex[r.port - lo]), fields(r), `port ${r.port} in the range`);
    }
    assert.equal(summary.counts.filtered, 2);
  } finally {
    open.server.close();
    await filtered.close();
  }
});

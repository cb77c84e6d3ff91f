/**
 * The probe engine (lib/probe/) as a library, in-process, on loopback: through every adapter
 * the running runtime can load (Deno: deno and node; Bun: bun and node), with AbortSignals that
 * stop scans and waits part way and keep what was found.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../lib/core/errors.ts";
import type { Listener, NetAdapter } from "../../lib/net/types.ts";
import { netAdapter } from "../../lib/net/adapter.ts";
import {
  type IpProbeResult,
  probe,
  type ProbeResult,
  type ProbeRun,
  waitUntilOpen,
} from "../../lib/probe/mod.ts";
import { closedPort } from "../support/ports.ts";

const adapters: NetAdapter[] = [(await import("../../lib/net/node.ts")).nodeAdapter];
if ("Deno" in globalThis) adapters.unshift((await import("../../lib/net/deno.ts")).denoAdapter);
if ("Bun" in globalThis) adapters.unshift((await import("../../lib/net/bun.ts")).bunAdapter);

/**
 * Scans go to 127.0.0.2, where only this file's listeners live (tests in parallel listen on
 * 127.0.0.1).
 */
const SCAN_HOST = "127.0.0.2";

/** A TCP listener that accepts and drops connections. */
async function listen(net: NetAdapter, hostname = "127.0.0.1", port = 0) {
  const listener = await net.listen({ transport: "tcp", hostname, port });
  drain(listener);
  return { port: (listener.addr as { port: number }).port, close: () => listener.close() };
}

function drain(listener: Listener): void {
  (async () => {
    for (;;) (await listener.accept()).close();
  })().catch(() => {});
}

/** Every result a run's iterator yields, bounded: a run that never ends fails the test. */
async function collect(run: ProbeRun, max = 100_000): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for await (const r of run) {
    out.push(r);
    if (out.length > max) throw new Error(`more than ${max} results`);
  }
  return out;
}

const ip = (r: ProbeResult) => r as IpProbeResult;

for (const net of adapters) {
  test(`[${net.name}] probe() finds a listener open and a released port closed, with the summary`, async () => {
    const open = await listen(net);
    const closed = await closedPort();
    try {
      const planned: string[] = [];
      const run = probe(net, { targets: [`127.0.0.1:${open.port},${closed}`], timeoutMs: 2000 }, {
        onPlan: (p) => planned.push(`${p.planned}/${p.threads}`),
      });
      const streamed = await collect(run);
      const { summary, results } = await run.result();
      assert.deepEqual(planned, ["2/1"]);
      const expected = [[open.port, "open", null, 4], [closed, "closed", "ECONNREFUSED", 4]];
      assert.deepEqual(
        results.map((r) => [ip(r).port, r.state, r.code, ip(r).family]),
        expected.sort((a, b) => Number(a[0]) - Number(b[0])),
        "in plan order (ports ascending)",
      );
      assert.equal(streamed.length, 2, "each endpoint once");
      assert.deepEqual(
        [summary.met, summary.planned, summary.probes, summary.counts.open, summary.counts.closed],
        [false, 2, 2, 1, 1],
      );
    } finally {
      open.close();
    }
  });

  test(`[${net.name}] probe() reports a Unix socket open and a missing one closed`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-probe-engine-"));
    const path = join(dir, "s.sock");
    const listener = await net.listen({ transport: "unix", path });
    drain(listener);
    try {
      const run = probe(net, { targets: [`unix:${path}`, `unix:${join(dir, "none.sock")}`] });
      const { results } = await run.result();
      assert.deepEqual(results.map((r) => [r.transport, r.state, r.code]), [
        ["unix", "open", null],
        ["unix", "closed", "ENOENT"],
      ]);
      assert.equal(results[0].transport === "unix" && results[0].path, path);
    } finally {
      listener.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${net.name}] probe() aborted mid-scan stops early and returns what it found`, async () => {
    const open = await listen(net, SCAN_HOST);
    const lo = Math.max(1, Math.min(open.port - 5, 65535 - 20_000));
    const abort = new AbortController();
    try {
      const run = probe(net, {
        targets: [`${SCAN_HOST}:${lo}-${lo + 19_999}`],
        concurrency: 4,
        timeoutMs: 500,
        threads: 1,
      }, {
        onResult: (r) => {
          if (r.state === "open") abort.abort();
        },
      }, abort.signal);
      const streamed = await collect(run);
      const { summary, results } = await run.result();
      assert.ok(abort.signal.aborted, "the open port was found");
      assert.ok(summary.probes < summary.planned, `${summary.probes} of ${summary.planned}`);
      assert.equal(summary.planned, 20_000);
      assert.equal(results.length, summary.probes);
      assert.equal(streamed.length, summary.probes);
      assert.equal(summary.counts.open, 1);
      assert.deepEqual(results.filter((r) => r.state === "open").map((r) => ip(r).port), [
        open.port,
      ]);
      assert.equal(summary.counts.closed + summary.counts.open, summary.probes);
      assert.equal(summary.met, false, "a partial scan does not meet an `all` expectation");
    } finally {
      open.close();
    }
  });

  test(`[${net.name}] waitUntilOpen() is met once a late listener starts`, async () => {
    const port = await closedPort();
    let late: { close(): void } | undefined;
    const timer = setTimeout(async () => (late = await listen(net, "127.0.0.1", port)), 300);
    try {
      const run = waitUntilOpen(net, {
        targets: [`127.0.0.1:${port}`],
        waitMs: 10_000,
        intervalMs: 50,
      });
      const streamed = await collect(run);
      const summary = await run.summary;
      assert.equal(summary.met, true);
      assert.ok(summary.wait!.rounds >= 2, `rounds ${summary.wait!.rounds}`);
      assert.deepEqual(streamed.map((r) => r.state), ["open"]);
    } finally {
      clearTimeout(timer);
      late?.close();
    }
  });

  test(`[${net.name}] waitUntilOpen() aborted ends at once with the last round's results`, async () => {
    const port = await closedPort();
    const abort = new AbortController();
    const run = waitUntilOpen(net, {
      targets: [`127.0.0.1:${port}`],
      waitMs: 30_000,
      intervalMs: 10_000,
    }, abort.signal);
    setTimeout(() => abort.abort(), 200);
    const started = performance.now();
    const { summary, results } = await run.result();
    assert.ok(performance.now() - started < 5000, "the pause between rounds was cut short");
    assert.equal(summary.met, false);
    assert.equal(summary.wait!.rounds, 1);
    assert.deepEqual(results.map((r) => r.state), ["closed"]);
  });
}

test("probe() keeps to one thread with an adapter other than the runtime's own", async () => {
  const node = adapters[adapters.length - 1];
  assert.equal(node.name, "node");
  assert.notEqual(node, await netAdapter());
  const run = probe(node, { targets: [`${SCAN_HOST}:1-20`], threads: 2, timeoutMs: 500 });
  const summary = await run.summary;
  assert.deepEqual([summary.threads, summary.probes], [1, 20]);
});

test("probe() already aborted looks nothing up and probes nothing", async () => {
  const net = await netAdapter();
  const abort = new AbortController();
  abort.abort();
  const run = probe(net, { targets: ["nosuch.invalid:80", "127.0.0.1:1-10"] }, {}, abort.signal);
  const { summary, results } = await run.result();
  assert.deepEqual([summary.planned, summary.probes, results.length], [11, 0, 0]);
});

test("probe() rejects bad input through its summary and its iterator alike", async () => {
  const net = await netAdapter();
  const run = probe(net, { targets: ["127.0.0.1"] });
  await assert.rejects(
    run.summary,
    (e: unknown) => e instanceof InputError && /-p/.test(e.message),
  );
  await assert.rejects(collect(run), InputError);
  const udp = probe(net, { targets: ["127.0.0.1:1"], payload: new Uint8Array(1) });
  await assert.rejects(udp.summary, /payload needs UDP/);
});

/**
 * The exporter's HTTP server in-process on the running runtime (Deno.serve under Deno, Bun.serve
 * under Bun): a tcp probe of a local listener, the exporter's own metrics, a failed reload that
 * keeps the config, and a clean stop with totals.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/exporter/config.ts";
import { startExporter } from "../../lib/exporter/server.ts";
import { netAdapter } from "../../lib/net/mod.ts";

const CONFIG = "modules:\n  tcp_connect:\n    prober: tcp\n";
const load = (text: string) => parseConfig(text, { baseDir: "/", readTextFile: () => "" });

test("exporter server: probes, /metrics, a bad reload keeps the config, stop gives totals", async () => {
  const adapter = await netAdapter();
  const target = await adapter.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const port = (target.addr as { port: number }).port;
  const stop = new AbortController();
  let next = CONFIG;
  const reloads: Array<string | undefined> = [];
  const ex = await startExporter(
    adapter,
    {
      port: 0,
      config: load(CONFIG),
      loadConfig: () => Promise.resolve(load(next)),
    },
    { onReload: (e) => reloads.push(e) },
    stop.signal,
  );
  try {
    const base = `http://127.0.0.1:${ex.addr.port}`;
    const probe = await fetch(`${base}/probe?module=tcp_connect&target=127.0.0.1:${port}`);
    assert.equal(probe.status, 200);
    assert.match(await probe.text(), /\nprobe_success 1\n/);
    next = "modules: [";
    const bad = await fetch(`${base}/-/reload`, { method: "POST" });
    assert.equal(bad.status, 500);
    await bad.body?.cancel();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /\nblackbox_exporter_config_last_reload_successful 0\n/);
    const again = await fetch(`${base}/probe?module=tcp_connect&target=127.0.0.1:${port}`);
    assert.match(await again.text(), /\nprobe_success 1\n/, "the old config serves on");
    assert.equal(reloads.length, 1);
    assert.ok(reloads[0]);
  } finally {
    stop.abort();
    target.close();
  }
  const totals = await ex.done;
  assert.deepEqual(
    [totals.probes, totals.succeeded, totals.reloads, totals.failedReloads],
    [2, 2, 1, 1],
  );
});

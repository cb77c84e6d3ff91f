/**
 * `netdiag exporter`'s HTTP API end to end, on every target: blackbox_exporter's answers for a
 * missing target and an unknown module, probes of local targets, the debug page, /metrics,
 * /config, /-/healthy, reloads (POST and SIGHUP; a bad config keeps the old one), the scrape
 * timeout header, and the safety flags (allow-list, listening beyond loopback, concurrency,
 * query bounds); `--check-config`; a clean stop with totals.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { runNetdiag, targets } from "../support/cli.ts";
import { startHttpServer, startSilentServer, type TestServer } from "../support/http_servers.ts";
import { sampleValue, startExporter, writeConfig } from "../support/exporter.ts";
import { closedPort } from "../support/ports.ts";

const CONFIG = `modules:
  http_2xx:
    prober: http
  tcp_connect:
    prober: tcp
  tcp_short:
    prober: tcp
    timeout: 300ms
  http_slow:
    prober: http
`;

describe("netdiag exporter: the HTTP API", () => {
  let http: TestServer;
  let silent: TestServer;
  let closed: number;
  let config: ReturnType<typeof writeConfig>;

  before(async () => {
    http = await startHttpServer();
    silent = await startSilentServer();
    closed = await closedPort();
    config = writeConfig(CONFIG);
  });

  after(async () => {
    await http?.close();
    await silent?.close();
    config?.cleanup();
  });

  for (const target of targets()) {
    test(`[${target}] answers as blackbox_exporter: 400s, probes, /metrics, /config, health`, async () => {
      const ex = await startExporter(target, config.file);
      try {
        const missing = await ex.get("/probe?module=tcp_connect");
        assert.deepEqual([missing.status, missing.body], [400, "Target parameter is missing\n"]);
        const unknown = await ex.get("/probe?target=127.0.0.1:1&module=nope");
        assert.deepEqual([unknown.status, unknown.body], [400, 'Unknown module "nope"\n']);
        const open = await ex.get(`/probe?target=127.0.0.1:${http.port}&module=tcp_connect`);
        assert.equal(open.status, 200);
        assert.match(open.type, /^text\/plain; version=0\.0\.4/);
        assert.equal(sampleValue(open.body, "probe_success"), 1);
        assert.match(open.body, /# TYPE probe_duration_seconds gauge\n/);
        const shut = await ex.get(`/probe?target=127.0.0.1:${closed}&module=tcp_connect`);
        assert.equal(sampleValue(shut.body, "probe_success"), 0);
        const web = await ex.get(`/probe?target=http://127.0.0.1:${http.port}/`);
        assert.equal(sampleValue(web.body, "probe_success"), 1, "module defaults to http_2xx");
        assert.equal(sampleValue(web.body, "probe_http_status_code"), 200);
        const metrics = (await ex.get("/metrics")).body;
        assert.equal(sampleValue(metrics, "blackbox_module_unknown_total"), 1);
        assert.equal(sampleValue(metrics, "blackbox_exporter_config_last_reload_successful"), 1);
        assert.equal(
          sampleValue(
            metrics,
            'netdiag_exporter_probes_total{module="tcp_connect",result="success"}',
          ),
          1,
        );
        assert.equal(sampleValue(metrics, "netdiag_exporter_probes_in_flight"), 0);
        assert.equal((await ex.get("/config")).body, CONFIG);
        assert.deepEqual(
          [(await ex.get("/-/healthy")).status, (await ex.get("/-/healthy")).body],
          [200, "Healthy"],
        );
        assert.match((await ex.get("/")).body, /<a href="metrics">/);
        assert.equal((await ex.get("/nothing")).status, 404);
        assert.equal((await ex.get("/-/reload")).status, 405, "reload needs POST");
      } finally {
        const r = await ex.stop("SIGTERM");
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^probes: 3 \(2 succeeded, 1 failed\); unknown module: 1;/m);
      }
    });

    test(`[${target}] debug=true: the probe's log, then its metrics, then the module`, async () => {
      const ex = await startExporter(target, config.file);
      try {
        const page = await ex.get(
          `/probe?target=127.0.0.1:${closed}&module=tcp_connect&debug=true`,
        );
        assert.equal(page.status, 200);
        const [logs, rest] = page.body.split("\n\n\n\nMetrics that would have been returned:\n");
        assert.ok(rest, page.body);
        assert.match(
          logs,
          /^Logs for the probe:\nts=\S+ module=tcp_connect target=127\.0\.0\.1:\d+ level=info msg="Beginning probe" probe=tcp timeout_seconds=/,
        );
        assert.match(logs, /level=error msg="Probe failed" duration_seconds=[0-9.e-]+$/);
        const [metrics, module] = rest.split("\n\n\nModule configuration:\n");
        assert.equal(sampleValue(metrics, "probe_success"), 0);
        assert.equal(module, "prober: tcp\n");
      } finally {
        await ex.stop();
      }
    });

    test(`[${target}] reload: POST and SIGHUP; a bad config keeps the old one, gauge 0`, async () => {
      const own = writeConfig(CONFIG);
      const ex = await startExporter(target, own.file);
      try {
        writeFileSync(own.file, "modules:\n  x: [\n");
        const bad = await ex.post("/-/reload");
        assert.equal(bad.status, 500);
        assert.match(bad.body, /^failed to reload config: .+\n$/);
        assert.equal(
          sampleValue(
            (await ex.get("/metrics")).body,
            "blackbox_exporter_config_last_reload_successful",
          ),
          0,
        );
        const still = await ex.get(`/probe?target=127.0.0.1:${http.port}&module=tcp_connect`);
        assert.equal(sampleValue(still.body, "probe_success"), 1, "the old config still serves");
        writeFileSync(own.file, CONFIG + "  tcp_new:\n    prober: tcp\n");
        ex.signal("SIGHUP");
        await until(async () =>
          sampleValue(
            (await ex.get("/metrics")).body,
            "blackbox_exporter_config_last_reload_successful",
          ) === 1
        );
        const added = await ex.get(`/probe?target=127.0.0.1:${http.port}&module=tcp_new`);
        assert.equal(sampleValue(added.body, "probe_success"), 1);
        writeFileSync(own.file, CONFIG);
        assert.equal((await ex.post("/-/reload")).status, 200);
        assert.equal((await ex.get(`/probe?target=x:1&module=tcp_new`)).status, 400);
      } finally {
        const r = await ex.stop("SIGINT");
        own.cleanup();
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /reload of ".+" failed, keeping the previous config/);
        assert.match(r.stdout, /reloads: 3 \(1 failed\)/);
      }
    });

    test(`[${target}] probe timeout: the scrape header minus the offset, capped by the module`, async () => {
      const ex = await startExporter(target, config.file, ["--timeout-offset", "1500ms"]);
      try {
        const slowUrl = `/probe?target=http://127.0.0.1:${silent.port}/&module=http_slow`;
        const t0 = performance.now();
        const r = await ex.get(slowUrl, { "X-Prometheus-Scrape-Timeout-Seconds": "3" });
        const took = (performance.now() - t0) / 1000;
        assert.equal(sampleValue(r.body, "probe_success"), 0);
        const d = sampleValue(r.body, "probe_duration_seconds")!;
        assert.ok(d >= 1.4 && d < 2.8, `3 s - 1.5 s: took ${d} s`);
        assert.ok(took < 3 + 2, `answered about when the scrape gives up (${took} s)`);
        const capped = await ex.get(
          `/probe?target=127.0.0.1:${silent.port}&module=tcp_short&debug=true`,
          { "X-Prometheus-Scrape-Timeout-Seconds": "10" },
        );
        assert.match(capped.body, /timeout_seconds=0\.3\b/, "the module's 300ms wins");
        const bad = await ex.get(slowUrl, { "X-Prometheus-Scrape-Timeout-Seconds": "soon" });
        assert.equal(bad.status, 400);
        assert.match(bad.body, /^Failed to parse timeout from Prometheus header: "soon"/);
      } finally {
        await ex.stop();
      }
    });

    test(`[${target}] safety: allow-list 403s, concurrency 503s, query bounds 400/414`, async () => {
      const ex = await startExporter(target, config.file, [
        "--allow-target",
        "127.0.0.1/32",
        "--allow-target",
        "*.allowed.test",
        "--max-concurrent",
        "1",
      ]);
      try {
        const ok = await ex.get(`/probe?target=127.0.0.1:${http.port}&module=tcp_connect`);
        assert.equal(sampleValue(ok.body, "probe_success"), 1);
        const denied = await ex.get(`/probe?target=127.0.0.2:${http.port}&module=tcp_connect`);
        assert.deepEqual(
          [denied.status, denied.body],
          [
            403,
            `Target "127.0.0.2:${http.port}" is not allowed: host "127.0.0.2" is not in --allow-target\n`,
          ],
        );
        const named = await ex.get(`/probe?target=http://localhost:${http.port}/`);
        assert.equal(named.status, 403, "names are matched as written, not resolved");
        // One slow probe holds the only slot; the next waits its timeout, then gets 503.
        const slow = ex.get(`/probe?target=127.0.0.1:${silent.port}&module=http_slow`, {
          "X-Prometheus-Scrape-Timeout-Seconds": "4",
        });
        await until(async () =>
          sampleValue((await ex.get("/metrics")).body, "netdiag_exporter_probes_in_flight") === 1
        );
        const busy = await ex.get(`/probe?target=127.0.0.1:${http.port}&module=tcp_connect`, {
          "X-Prometheus-Scrape-Timeout-Seconds": "0.8",
        });
        assert.equal(busy.status, 503);
        assert.match(busy.body, /^Too many concurrent probes: 1 running/);
        assert.equal(sampleValue((await slow).body, "probe_success"), 0);
        const long = await ex.get(`/probe?module=tcp_connect&target=${"a".repeat(3000)}:1`);
        assert.equal(long.status, 400);
        const control = await ex.get(`/probe?module=tcp_connect&target=a%0Ab:1`);
        assert.equal(control.status, 400);
        assert.equal((await ex.get(`/probe?target=${"a".repeat(9000)}`)).status, 414);
        const metrics = (await ex.get("/metrics")).body;
        assert.equal(
          sampleValue(metrics, 'netdiag_exporter_requests_rejected_total{reason="forbidden"}'),
          2,
        );
        assert.equal(
          sampleValue(metrics, 'netdiag_exporter_requests_rejected_total{reason="busy"}'),
          1,
        );
      } finally {
        const r = await ex.stop();
        assert.equal(r.code, 0, r.stderr);
      }
    });

    test(`[${target}] beyond loopback needs an allow-list; --check-config; bad configs exit 2, a taken port 3`, async () => {
      const open = await runNetdiag(target, [
        "exporter",
        "--config",
        config.file,
        "--listen",
        "0.0.0.0:0",
      ]);
      assert.equal(open.code, 2);
      assert.match(
        open.stderr,
        /^netdiag: refusing to listen on "0\.0\.0\.0" without a target allow-list: .*--allow-any-target\n$/,
      );
      const both = await runNetdiag(target, [
        "exporter",
        "--config",
        config.file,
        "--allow-target",
        "10.0.0.0/8",
        "--allow-any-target",
      ]);
      assert.equal(both.code, 2);
      const valid = await runNetdiag(target, [
        "exporter",
        "--config",
        config.file,
        "--check-config",
      ]);
      assert.equal(valid.code, 0, valid.stderr);
      assert.match(
        valid.stdout,
        /: valid, 4 modules: http_2xx, tcp_connect, tcp_short, http_slow\n$/,
      );
      const broken = writeConfig("modules:\n  m:\n    prober: icmp\n");
      try {
        const r = await runNetdiag(target, ["exporter", "--config", broken.file, "--check-config"]);
        assert.equal(r.code, 2);
        assert.equal(r.stderr.split("\n").length, 2, `one line: ${r.stderr}`);
        assert.match(r.stderr, /icmp/);
        const start = await runNetdiag(target, ["exporter", "--config", broken.file]);
        assert.equal(start.code, 2);
      } finally {
        broken.cleanup();
      }
      const missing = await runNetdiag(target, [
        "exporter",
        "--config",
        "/nonexistent/blackbox.yml",
      ]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^netdiag: .*nonexistent\/blackbox\.yml.*\n$/);
      const taken = await runNetdiag(target, [
        "exporter",
        "--config",
        config.file,
        "--listen",
        `127.0.0.1:${http.port}`,
      ]);
      assert.equal(taken.code, 3, taken.stderr);
      assert.match(taken.stderr, /^netdiag: cannot listen on "127\.0\.0\.1:\d+": .*in use.*\n$/);
      const badFlag = await runNetdiag(target, ["exporter", "--allow-target", "10.0.0.0/99"]);
      assert.equal(badFlag.code, 2);
    });
  }
});

/** Polls `check` every 50 ms until it holds, for at most 10 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

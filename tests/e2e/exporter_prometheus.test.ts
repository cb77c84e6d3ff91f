/**
 * The real Prometheus scraping `netdiag exporter` with the standard blackbox relabeling config,
 * every second, against local targets: an open and a closed port, HTTPS servers with a good and
 * an expired certificate, and dnsmasq. Two exporters serve as two vantage points of one
 * Prometheus, as docs/exporter.md's fleet setup has it. The stored series, read back through
 * Prometheus's query API, have the expected values (bounded wait).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { targets } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type RunningExporter, startExporter, writeConfig } from "../support/exporter.ts";
import { startHttpServer, startHttpsServer, type TestServer } from "../support/http_servers.ts";
import { blackboxJob, startPrometheus } from "../support/prometheus.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import { closedPort } from "../support/ports.ts";

describe("netdiag exporter scraped by the real Prometheus", () => {
  let pki: TestPki;
  let plain: TestServer;
  let good: TestServer;
  let expired: TestServer;
  let closed: number;
  let dns: Dnsmasq;
  let config: ReturnType<typeof writeConfig>;

  before(async () => {
    pki = makeTestPki();
    plain = await startHttpServer();
    good = await startHttpsServer(pki.chain(pki.valid), pki.valid.key);
    expired = await startHttpsServer(pki.chain(pki.expired), pki.expired.key);
    closed = await closedPort();
    dns = await startDnsmasq(testZone());
    config = writeConfig(`modules:
  http_2xx:
    prober: http
    http:
      preferred_ip_protocol: ip4
      tls_config:
        ca_file: ${JSON.stringify(pki.ca.certFile)}
  tcp_connect:
    prober: tcp
  dns_a:
    prober: dns
    dns:
      query_name: host.test
      query_type: A
      preferred_ip_protocol: ip4
`);
  });

  after(async () => {
    await plain?.close();
    await good?.close();
    await expired?.close();
    await dns?.stop();
    config?.cleanup();
    pki?.cleanup();
  });

  for (const target of targets()) {
    test(`[${target}] two vantage points, one Prometheus: the stored probe series`, async () => {
      const exporters: RunningExporter[] = [];
      let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
      try {
        exporters.push(await startExporter(target, config.file));
        exporters.push(await startExporter(target, config.file));
        const jobs = exporters.flatMap((ex, i) => {
          const at = { exporter: `127.0.0.1:${ex.port}`, labels: { vantage: `v${i}` } };
          return [
            blackboxJob({
              job: "blackbox_tcp",
              module: "tcp_connect",
              targets: [`127.0.0.1:${plain.port}`, `127.0.0.1:${closed}`],
              ...at,
            }),
            blackboxJob({
              job: "blackbox_https",
              module: "http_2xx",
              targets: [`https://127.0.0.1:${good.port}/`, `https://127.0.0.1:${expired.port}/`],
              ...at,
            }),
            blackboxJob({ job: "blackbox_dns", module: "dns_a", targets: [dns.server], ...at }),
          ].map((job) => job.replace(/job_name: "(\w+)"/, `job_name: "$1_v${i}"`));
        });
        prometheus = await startPrometheus(jobs);
        const expected: Record<string, number> = {};
        for (const v of ["v0", "v1"]) {
          expected[`probe_success|${v}|127.0.0.1:${plain.port}`] = 1;
          expected[`probe_success|${v}|127.0.0.1:${closed}`] = 0;
          expected[`probe_success|${v}|https://127.0.0.1:${good.port}/`] = 1;
          expected[`probe_success|${v}|https://127.0.0.1:${expired.port}/`] = 0;
          expected[`probe_success|${v}|${dns.server}`] = 1;
          expected[`probe_http_status_code|${v}|https://127.0.0.1:${good.port}/`] = 200;
          expected[`probe_http_ssl|${v}|https://127.0.0.1:${good.port}/`] = 1;
          expected[`probe_dns_answer_rrs|${v}|${dns.server}`] = 1;
          expected[`up|${v}|${dns.server}`] = 1;
        }
        const names = [
          "probe_success",
          "probe_http_status_code",
          "probe_http_ssl",
          "probe_dns_answer_rrs",
          "up",
        ];
        let seen: Record<string, number> = {};
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          seen = {};
          for (const name of names) {
            for (const r of await prometheus.query(`${name}{vantage=~"v."}`)) {
              seen[`${name}|${r.labels.vantage}|${r.labels.instance}`] = r.value;
            }
          }
          if (Object.entries(expected).every(([k, v]) => seen[k] === v)) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        const got = Object.fromEntries(Object.keys(expected).map((k) => [k, seen[k]]));
        assert.deepEqual(got, expected);
        const cert = await prometheus.query(
          `probe_ssl_earliest_cert_expiry{instance="https://127.0.0.1:${good.port}/"} - time()`,
        );
        assert.equal(cert.length, 2, "one series per vantage point");
        for (const c of cert) assert.ok(c.value > 300 * 86400, `about 400 days left: ${c.value}`);
      } finally {
        await prometheus?.stop();
        for (const ex of exporters) {
          const r = await ex.stop();
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, /^probes: [1-9]\d* \(/m, "each vantage point probed");
        }
      }
    });
  }
});

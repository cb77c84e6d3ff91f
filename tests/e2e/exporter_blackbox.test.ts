/**
 * `netdiag exporter` side by side with the real blackbox_exporter on the same blackbox.yml and
 * the same local targets: for every module, the same blackbox series names and label names, the
 * same `probe_success` and status codes. The differences that remain are the ones listed in
 * docs/exporter.md ("Differences from blackbox_exporter"), and each listed one is seen.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Blackbox, startBlackbox } from "../support/blackbox.ts";
import { ROOT, targets } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { httpGet, startExporter, writeConfig } from "../support/exporter.ts";
import {
  startHttpServer,
  startHttpsServer,
  startPlainServer,
  startTlsServer,
  type TestServer,
} from "../support/http_servers.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import { closedPort } from "../support/ports.ts";

const config = (ca: string) =>
  `modules:
  http_2xx:
    prober: http
    http:
      tls_config:
        ca_file: ${JSON.stringify(ca)}
  http_post_2xx:
    prober: http
    http:
      method: POST
      valid_status_codes: [200]
  http_404:
    prober: http
    http:
      valid_status_codes: [404]
  http_body:
    prober: http
    http:
      fail_if_body_not_matches_regexp: ["hello"]
  http_body_fail:
    prober: http
    http:
      fail_if_body_matches_regexp: ["hello"]
  http_no_redirect:
    prober: http
    http:
      follow_redirects: false
  http_ssl_required:
    prober: http
    http:
      fail_if_not_ssl: true
  tcp_connect:
    prober: tcp
  tcp_tls:
    prober: tcp
    tcp:
      tls: true
      tls_config:
        ca_file: ${JSON.stringify(ca)}
  tcp_tls_named:
    prober: tcp
    tcp:
      tls: true
      tls_config:
        ca_file: ${JSON.stringify(ca)}
        server_name: localhost
  tcp_banner:
    prober: tcp
    tcp:
      query_response:
        - expect: "^SSH-2.0-"
  dns_a:
    prober: dns
    dns:
      query_name: host.test
      query_type: A
  dns_tcp_mx:
    prober: dns
    dns:
      query_name: mx.test
      query_type: MX
      transport_protocol: tcp
  dns_nxdomain:
    prober: dns
    dns:
      query_name: nope.test
      query_type: A
      valid_rcodes: [NXDOMAIN]
  dns_fail_regexp:
    prober: dns
    dns:
      query_name: host.test
      query_type: A
      validate_answer_rrs:
        fail_if_matches_regexp: [".*10[.]0[.]0[.]2.*"]
`;

/** A series' name and its label names (values left out), e.g. `probe_http_duration_seconds{phase}`. */
function shapes(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? /.exec(line);
    if (!m) continue;
    const labels = [...(m[3] ?? "").matchAll(/(\w+)="/g)].map((x) => x[1]).sort();
    out.add(labels.length ? `${m[1]}{${labels.join(",")}}` : m[1]);
  }
  return out;
}

/** The values of a series without labels (or the first with), by name. */
function values(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const name = line.slice(0, line.search(/[{ ]/));
    if (!out.has(name)) out.set(name, Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return out;
}

/** The rows of docs/exporter.md's table of series differences: `module|series|kind`. */
function documentedDifferences(): Set<string> {
  const text = readFileSync(join(ROOT, "docs", "exporter.md"), "utf8");
  const section = text.split(/^### Series that differ$/m)[1]?.split(/^#/m)[0] ?? "";
  const rows = new Set<string>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const m = /^`([\w*]+)`$/.exec(cells[1] ?? "");
    const s = /^`([^`]+)`$/.exec(cells[2] ?? "");
    const kind = cells[3];
    if (m && s && (kind === "blackbox only" || kind === "netdiag only")) {
      rows.add(`${m[1]}|${s[1]}|${kind}`);
    }
  }
  return rows;
}

/** Whether a documented row (module may be `*`) covers a found difference. */
function covered(
  rows: Set<string>,
  module: string,
  series: string,
  kind: string,
): string | undefined {
  for (const key of [`${module}|${series}|${kind}`, `*|${series}|${kind}`]) {
    if (rows.has(key)) return key;
  }
  return undefined;
}

const COMPARED = [
  "probe_success",
  "probe_http_status_code",
  "probe_http_ssl",
  "probe_http_redirects",
  "probe_dns_answer_rrs",
  "probe_failed_due_to_regex",
  "probe_ip_protocol",
];

describe("netdiag exporter side by side with blackbox_exporter", () => {
  let pki: TestPki;
  let http: TestServer;
  let good: TestServer;
  let expired: TestServer;
  let tls: TestServer;
  let expiredTls: TestServer;
  let banner: TestServer;
  let closed: number;
  let dns: Dnsmasq;
  let file: ReturnType<typeof writeConfig>;
  let blackbox: Blackbox;
  let cases: Array<[string, string]>;

  before(async () => {
    pki = makeTestPki();
    http = await startHttpServer();
    good = await startHttpsServer(pki.chain(pki.valid), pki.valid.key);
    expired = await startHttpsServer(pki.chain(pki.expired), pki.expired.key);
    tls = await startTlsServer(pki.chain(pki.valid), pki.valid.key);
    expiredTls = await startTlsServer(pki.chain(pki.expired), pki.expired.key);
    banner = await startPlainServer();
    closed = await closedPort();
    dns = await startDnsmasq(testZone());
    file = writeConfig(config(pki.ca.certFile));
    blackbox = await startBlackbox(file.file);
    const h = `http://127.0.0.1:${http.port}`;
    cases = [
      ["http_2xx", `${h}/`],
      ["http_2xx", `https://127.0.0.1:${good.port}/`],
      ["http_2xx", `https://127.0.0.1:${expired.port}/`],
      ["http_2xx", `${h}/redirect/2`],
      ["http_2xx", `http://127.0.0.1:${closed}/`],
      ["http_post_2xx", `${h}/`],
      ["http_404", `${h}/missing`],
      ["http_body", `${h}/`],
      ["http_body_fail", `${h}/`],
      ["http_no_redirect", `${h}/redirect/1`],
      ["http_ssl_required", `${h}/`],
      ["tcp_connect", `127.0.0.1:${http.port}`],
      ["tcp_connect", `127.0.0.1:${closed}`],
      ["tcp_tls", `127.0.0.1:${tls.port}`],
      ["tcp_tls_named", `127.0.0.1:${tls.port}`],
      ["tcp_tls_named", `127.0.0.1:${expiredTls.port}`],
      ["tcp_banner", `127.0.0.1:${banner.port}`],
      ["dns_a", dns.server],
      ["dns_tcp_mx", dns.server],
      ["dns_nxdomain", dns.server],
      ["dns_fail_regexp", dns.server],
    ];
  });

  after(async () => {
    await blackbox?.stop();
    for (const s of [http, good, expired, tls, expiredTls, banner]) await s?.close();
    await dns?.stop();
    file?.cleanup();
    pki?.cleanup();
  });

  for (const target of targets()) {
    test(`[${target}] every module: same series, labels, success and codes`, async () => {
      const ex = await startExporter(target, file.file);
      const rows = documentedDifferences();
      const used = new Set<string>();
      const problems: string[] = [];
      try {
        for (const [module, probeTarget] of cases) {
          const path = `/probe?module=${module}&target=${encodeURIComponent(probeTarget)}`;
          const header = { "X-Prometheus-Scrape-Timeout-Seconds": "5" };
          const [bb, nd] = await Promise.all([
            httpGet(blackbox.base + path, header),
            ex.get(path, header),
          ]);
          assert.equal(nd.status, bb.status, `${module} ${probeTarget}: HTTP status`);
          const what = `${module} ${probeTarget}`;
          const b = shapes(bb.body);
          const n = new Set([...shapes(nd.body)].filter((s) => !s.startsWith("netdiag_")));
          for (
            const [from, to, kind] of [[b, n, "blackbox only"], [n, b, "netdiag only"]] as const
          ) {
            for (const s of from) {
              if (to.has(s)) continue;
              const row = covered(rows, module, s, kind);
              if (row) used.add(row);
              else problems.push(`${what}: ${s} (${kind})`);
            }
          }
          const bv = values(bb.body), nv = values(nd.body);
          for (const name of COMPARED) {
            if (bv.has(name) && nv.has(name) && bv.get(name) !== nv.get(name)) {
              problems.push(`${what}: ${name} ${nv.get(name)}, blackbox_exporter ${bv.get(name)}`);
            }
          }
        }
      } finally {
        await ex.stop();
      }
      assert.deepEqual(problems, [], "differences not listed in docs/exporter.md");
      const unused = [...rows].filter((r) => !used.has(r));
      assert.deepEqual(unused, [], "listed differences that no longer occur");
    });
  }
});

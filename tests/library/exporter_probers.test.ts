/**
 * The exporter's probers against loopback servers the tests start: HTTP(S) with a test PKI, TCP
 * banners and STARTTLS, dnsmasq and a silent DNS server; blackbox_exporter's series and values
 * for success and each kind of failure, netdiag's additions, and the probe deadline.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";
import { parseConfig } from "../../lib/exporter/config.ts";
import { runProbe } from "../../lib/exporter/probe.ts";
import type { MetricFamily, ProbeOutcome } from "../../lib/exporter/types.ts";
import { netAdapter } from "../../lib/net/mod.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type FakeDns, startSilentServer as startSilentDns } from "../support/fake_dns.ts";
import {
  startHttpServer,
  startHttpsServer,
  startTcpServer,
  type TestServer,
} from "../support/http_servers.ts";
import { makeTestPki, type TestPki } from "../support/test_pki.ts";
import { closedPort } from "../support/ports.ts";

let pki: TestPki;
let plain: TestServer, good: TestServer, expired: TestServer, echo: http.Server, echoPort: number;
let banner: TestServer, starttls: TestServer, dnsmasq: Dnsmasq, silentDns: FakeDns;
let closed: number;

before(async () => {
  pki = makeTestPki();
  plain = await startHttpServer();
  good = await startHttpsServer(pki.chain(pki.valid), pki.valid.key);
  expired = await startHttpsServer(pki.chain(pki.expired), pki.expired.key);
  closed = await closedPort();
  echo = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.writeHead(200, {
        "content-length": String(Buffer.byteLength(`${req.method} ${req.headers.host} ${body}`)),
        "last-modified": "Wed, 21 Oct 2015 07:28:00 GMT",
      });
      res.end(`${req.method} ${req.headers.host} ${body}`);
    });
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", () => r()));
  echoPort = (echo.address() as AddressInfo).port;
  banner = await startTcpServer((s) => {
    s.write("SSH-2.0-test_1\r\n");
    s.on("data", (d) => s.end(`got ${String(d)}`));
  });
  starttls = await startTcpServer((s) => {
    s.write("220 ready\r\n");
    s.once("data", () => {
      s.write("220 go ahead\r\n", () => {
        const t = new tls.TLSSocket(s, {
          isServer: true,
          cert: pki.chain(pki.valid),
          key: pki.valid.key,
        });
        t.on("error", () => {});
        t.write("250 secure\r\n");
      });
    });
  });
  dnsmasq = await startDnsmasq([
    ...testZone(),
    "auth-server=ns.test",
    "auth-zone=zone.test",
    "host-record=www.zone.test,10.0.0.9",
    "auth-soa=2024010101,hostmaster.zone.test",
  ]);
  silentDns = await startSilentDns();
});

after(async () => {
  await Promise.all([
    plain.close(),
    good.close(),
    expired.close(),
    banner.close(),
    starttls.close(),
  ]);
  await new Promise<void>((r) => echo.close(() => r()));
  await dnsmasq.stop();
  silentDns.close();
  pki.cleanup();
});

function config(yaml: string) {
  return parseConfig(`modules:\n${yaml}`, {
    baseDir: pki.dir,
    readTextFile: (p) => readFileSync(p, "utf8"),
  });
}

async function probe(moduleYaml: string, target: string, timeoutMs = 5000, hostname?: string) {
  const module = config(`  m:\n${moduleYaml.replace(/^/gm, "    ")}\n`).modules.get("m")!;
  const logs: string[] = [];
  const outcome = await runProbe(await netAdapter(), {
    target,
    module,
    timeoutMs,
    ...(hostname ? { hostname } : {}),
  }, { log: (m) => logs.push(m) });
  return {
    outcome,
    logs,
    get: (name: string, labels?: Record<string, string>) => value(outcome, name, labels),
  };
}

function family(o: ProbeOutcome, name: string): MetricFamily | undefined {
  return o.families.find((f) => f.name === name);
}

function value(o: ProbeOutcome, name: string, labels?: Record<string, string>): number | undefined {
  const f = family(o, name);
  const s = f?.samples.find((s) =>
    Object.entries(labels ?? {}).every(([k, v]) => s.labels?.[k] === v)
  );
  return s?.value;
}

function failure(o: ProbeOutcome): string | undefined {
  const s = family(o, "netdiag_probe_failure_info")?.samples[0];
  return s ? `${s.labels!.stage}/${s.labels!.reason}` : undefined;
}

const HTTP_SERIES = [
  "probe_dns_lookup_time_seconds",
  "probe_failed_due_to_regex",
  "probe_http_content_length",
  "probe_http_duration_seconds",
  "probe_http_redirects",
  "probe_http_ssl",
  "probe_http_status_code",
  "probe_http_uncompressed_body_length",
  "probe_http_version",
  "probe_ip_addr_hash",
  "probe_ip_protocol",
];

test("http prober: a 200 gives blackbox's series and values", async () => {
  const { outcome, get, logs } = await probe("prober: http", `http://127.0.0.1:${plain.port}/`);
  assert.equal(outcome.success, true);
  assert.deepEqual(outcome.families.map((f) => f.name).sort(), HTTP_SERIES);
  assert.equal(get("probe_http_status_code"), 200);
  assert.equal(get("probe_http_version"), 1.1);
  assert.equal(get("probe_ip_protocol"), 4);
  assert.equal(
    get("probe_ip_addr_hash"),
    3668918509,
    "FNV-1a of 127.0.0.1, as blackbox_exporter has it",
  );
  assert.equal(get("probe_http_uncompressed_body_length"), 10);
  assert.equal(
    get("probe_http_content_length"),
    -1,
    "no Content-Length: -1, as Go's ContentLength",
  );
  assert.equal(get("probe_http_ssl"), 0);
  assert.deepEqual(
    family(outcome, "probe_http_duration_seconds")!.samples.map((s) => s.labels!.phase).sort(),
    ["connect", "processing", "resolve", "tls", "transfer"],
  );
  assert.ok(get("probe_http_duration_seconds", { phase: "processing" })! > 0);
  assert.ok(logs.includes("Received HTTP response status_code=200"), logs.join("\n"));
});

test("http prober: a target without scheme is http, a 500 fails with the status kept", async () => {
  const { outcome, get } = await probe("prober: http", `127.0.0.1:${plain.port}/status?code=500`);
  assert.equal(outcome.success, false);
  assert.equal(get("probe_http_status_code"), 500);
  assert.equal(failure(outcome), "http/http_status");
  const ok = await probe(
    "prober: http\nhttp: {valid_status_codes: [500]}",
    `127.0.0.1:${plain.port}/status?code=500`,
  );
  assert.equal(ok.outcome.success, true);
});

test("http prober: a closed port fails at connect with status 0 and no connect time", async () => {
  const { outcome, get } = await probe("prober: http", `http://127.0.0.1:${closed}/`);
  assert.equal(outcome.success, false);
  assert.equal(get("probe_http_status_code"), 0);
  assert.equal(get("probe_http_content_length"), 0);
  assert.equal(get("probe_http_duration_seconds", { phase: "connect" }), 0);
  assert.equal(failure(outcome), "connect/tcp_refused");
  assert.equal(get("netdiag_probe_failed_stage", { stage: "connect" }), 1);
});

test("http prober: redirects are followed and counted, or not followed and failed", async () => {
  const followed = await probe("prober: http", `http://127.0.0.1:${plain.port}/redirect/2`);
  assert.equal(followed.outcome.success, true);
  assert.equal(followed.get("probe_http_redirects"), 2);
  const stopped = await probe(
    "prober: http\nhttp: {follow_redirects: false}",
    `http://127.0.0.1:${plain.port}/redirect/2`,
  );
  assert.equal(stopped.outcome.success, false);
  assert.equal(stopped.get("probe_http_status_code"), 302);
  assert.equal(
    stopped.get("probe_http_redirects"),
    1,
    "blackbox counts the redirect it did not follow",
  );
  const many = await probe("prober: http", `http://127.0.0.1:${plain.port}/redirect/12`);
  assert.equal(many.outcome.success, false);
  assert.equal(many.get("probe_http_redirects"), 11);
});

test("http prober: body and header regexps set probe_failed_due_to_regex", async () => {
  const body = await probe(
    "prober: http\nhttp: {fail_if_body_not_matches_regexp: ['^bye']}",
    `http://127.0.0.1:${plain.port}/`,
  );
  assert.equal(body.outcome.success, false);
  assert.equal(body.get("probe_failed_due_to_regex"), 1);
  assert.equal(failure(body.outcome), "http/http_body_mismatch");
  const bodyOk = await probe(
    "prober: http\nhttp: {fail_if_body_matches_regexp: ['(?i)ERROR'], fail_if_body_not_matches_regexp: ['^hello GET']}",
    `http://127.0.0.1:${plain.port}/`,
  );
  assert.equal(bodyOk.outcome.success, true);
  assert.equal(bodyOk.get("probe_failed_due_to_regex"), 0);
  const header = await probe(
    "prober: http\nhttp: {fail_if_header_matches: [{header: server, regexp: netdiag}]}",
    `http://127.0.0.1:${plain.port}/`,
  );
  assert.equal(header.outcome.success, false);
  assert.equal(header.get("probe_failed_due_to_regex"), 1);
  assert.equal(failure(header.outcome), "http/http_header_mismatch");
  const missing = await probe(
    "prober: http\nhttp: {fail_if_header_not_matches: [{header: X-None, regexp: a, allow_missing: true}]}",
    `http://127.0.0.1:${plain.port}/`,
  );
  assert.equal(missing.outcome.success, true);
});

test("http prober: method, body, headers and the hostname parameter reach the server", async () => {
  const { outcome, get } = await probe(
    "prober: http\nhttp:\n  method: POST\n  body: 'a=1'\n  fail_if_body_not_matches_regexp: ['^POST example\\.test a=1$']",
    `http://127.0.0.1:${echoPort}/`,
    5000,
    "example.test",
  );
  assert.equal(outcome.success, true);
  assert.equal(get("probe_http_content_length"), 21);
  assert.equal(get("probe_http_last_modified_timestamp_seconds"), 1445412480);
  const version = await probe(
    "prober: http\nhttp: {valid_http_versions: ['HTTP/2.0']}",
    `http://127.0.0.1:${echoPort}/`,
  );
  assert.equal(version.outcome.success, false);
  assert.equal(failure(version.outcome), "http/http_version");
});

test("http prober: https with the CA gives the probe_ssl_* series; fail_if_ssl fails it", async () => {
  const mod = "prober: http\nhttp:\n  tls_config: {ca_file: ca.pem}";
  writeFileSync(`${pki.dir}/ca.pem`, pki.ca.cert);
  const { outcome, get } = await probe(mod, `https://localhost:${good.port}/`);
  assert.equal(outcome.success, true, JSON.stringify(outcome.families));
  assert.equal(get("probe_http_ssl"), 1);
  assert.equal(get("probe_tls_version_info", { version: "TLS 1.3" }), 1);
  const info = family(outcome, "probe_ssl_last_chain_info")!.samples[0].labels!;
  assert.equal(info.subject, "CN=localhost");
  assert.equal(info.issuer, "CN=netdiag test intermediate,O=netdiag test");
  assert.equal(info.subjectalternative, "localhost");
  assert.match(info.fingerprint_sha256, /^[0-9a-f]{64}$/);
  const expiry = get("probe_ssl_earliest_cert_expiry")!;
  assert.ok(expiry > Date.now() / 1000 + 300 * 86400);
  assert.equal(get("probe_ssl_last_chain_expiry_timestamp_seconds"), expiry);
  assert.equal(get("netdiag_tls_cert_verified"), 1);
  const ssl = await probe(`${mod}\n  fail_if_ssl: true`, `https://localhost:${good.port}/`);
  assert.equal(ssl.outcome.success, false);
  assert.equal(failure(ssl.outcome), "http/http_ssl");
  const notSsl = await probe(
    "prober: http\nhttp: {fail_if_not_ssl: true}",
    `http://127.0.0.1:${plain.port}/`,
  );
  assert.equal(notSsl.outcome.success, false);
  const insecure = await probe(
    "prober: http\nhttp: {tls_config: {insecure_skip_verify: true}}",
    `https://localhost:${good.port}/`,
  );
  assert.equal(insecure.outcome.success, true);
  assert.equal(
    insecure.get("probe_ssl_last_chain_expiry_timestamp_seconds"),
    -62135596800,
    "Go's zero time: no verified chain",
  );
});

test("http prober: an expired certificate fails without probe_ssl_* but with netdiag's certificate series", async () => {
  writeFileSync(`${pki.dir}/ca.pem`, pki.ca.cert);
  const { outcome, get } = await probe(
    "prober: http\nhttp:\n  tls_config: {ca_file: ca.pem}",
    `https://localhost:${expired.port}/`,
  );
  assert.equal(outcome.success, false);
  assert.equal(family(outcome, "probe_ssl_earliest_cert_expiry"), undefined);
  assert.equal(get("probe_http_ssl"), 0);
  assert.equal(failure(outcome), "tls/tls_cert_expired");
  assert.equal(get("netdiag_tls_cert_verified"), 0);
  const notAfter = get("netdiag_tls_cert_not_after_timestamp_seconds")!;
  assert.ok(notAfter < Date.now() / 1000 && notAfter > Date.now() / 1000 - 30 * 86400);
  assert.equal(
    family(outcome, "netdiag_tls_cert_info")!.samples[0].labels!.verify_error,
    "expired",
  );
});

test("http prober: the deadline ends a slow probe on time, failing with the series set so far", async () => {
  const t0 = performance.now();
  const { outcome, get } = await probe(
    "prober: http",
    `http://127.0.0.1:${plain.port}/slow?ms=3000`,
    400,
  );
  assert.ok(performance.now() - t0 < 2500, `took ${performance.now() - t0} ms`);
  assert.equal(outcome.success, false);
  assert.equal(get("probe_ip_protocol"), 4);
  assert.match(failure(outcome)!, /^http\/(http_timeout|probe_timeout)$/);
});

test("http prober: preferred ip6 without fallback fails for an IPv4-only target", async () => {
  const { outcome, get } = await probe(
    "prober: http\nhttp: {ip_protocol_fallback: false}",
    `http://127.0.0.1:${plain.port}/`,
  );
  assert.equal(outcome.success, false);
  assert.equal(get("probe_ip_protocol"), 0);
  assert.equal(failure(outcome), "resolve/dns_failure");
});

test("netdiag extras: every address and loss/RTT over several connects", async () => {
  const { outcome, get } = await probe(
    "prober: tcp\nnetdiag: {all_addresses: true, connects: 4}",
    `127.0.0.1:${plain.port}`,
  );
  assert.equal(outcome.success, true);
  assert.equal(get("netdiag_address_up", { address: "127.0.0.1", family: "ip4" }), 1);
  assert.ok(get("netdiag_address_connect_seconds", { address: "127.0.0.1" })! >= 0);
  assert.equal(get("netdiag_connect_loss_ratio"), 0);
  for (const q of ["0.5", "0.9", "0.99"]) {
    assert.ok(get("netdiag_connect_rtt_seconds", { quantile: q })! > 0);
  }
  const down = await probe("prober: tcp\nnetdiag: {connects: 3}", `127.0.0.1:${closed}`);
  assert.equal(down.outcome.success, false);
  assert.equal(down.get("netdiag_connect_loss_ratio"), 1);
  assert.equal(family(down.outcome, "netdiag_connect_rtt_seconds"), undefined);
});

test("tcp prober: connect, refused, and query_response with ${1} expansion", async () => {
  const ok = await probe("prober: tcp", `127.0.0.1:${plain.port}`);
  assert.equal(ok.outcome.success, true);
  assert.deepEqual(ok.outcome.families.map((f) => f.name).sort(), [
    "probe_dns_lookup_time_seconds",
    "probe_failed_due_to_regex",
    "probe_ip_addr_hash",
    "probe_ip_protocol",
  ]);
  const refused = await probe("prober: tcp", `127.0.0.1:${closed}`);
  assert.equal(refused.outcome.success, false);
  assert.equal(failure(refused.outcome), "connect/tcp_refused");
  const qr = await probe(
    "prober: tcp\ntcp:\n  query_response:\n    - expect: '^SSH-2.0-(\\w+)'\n      send: 'hi ${1}'\n    - expect: '^got hi test_1$'",
    `localhost:${banner.port}`,
  );
  assert.equal(qr.outcome.success, true, qr.logs.join("\n"));
  assert.equal(qr.get("probe_failed_due_to_regex"), 0);
  const miss = await probe(
    "prober: tcp\ntcp:\n  query_response:\n    - send: x\n    - expect: '^nope'",
    `localhost:${banner.port}`,
  );
  assert.equal(miss.outcome.success, false);
  assert.equal(miss.get("probe_failed_due_to_regex"), 1);
  assert.equal(failure(miss.outcome), "expect/expect_mismatch");
  const bad = await probe("prober: tcp", "no-port-here");
  assert.equal(failure(bad.outcome), "resolve/bad_target");
});

test("tcp prober: TLS from the start and STARTTLS set the probe_ssl_* series", async () => {
  writeFileSync(`${pki.dir}/ca.pem`, pki.ca.cert);
  const direct = await probe(
    "prober: tcp\ntcp: {tls: true, tls_config: {ca_file: ca.pem}}",
    `localhost:${good.port}`,
  );
  assert.equal(direct.outcome.success, true, direct.logs.join("\n"));
  assert.equal(direct.get("probe_tls_version_info", { version: "TLS 1.3" }), 1);
  const bad = await probe(
    "prober: tcp\ntcp: {tls: true, tls_config: {ca_file: ca.pem}}",
    `localhost:${expired.port}`,
  );
  assert.equal(bad.outcome.success, false);
  assert.equal(family(bad.outcome, "probe_ssl_earliest_cert_expiry"), undefined);
  assert.equal(bad.get("netdiag_tls_cert_verified"), 0);
  const upgraded = await probe(
    "prober: tcp\ntcp:\n  query_response:\n    - expect: '^220 ready'\n      send: STARTTLS\n    - expect: '^220 go'\n      starttls: true\n    - expect: '^250 secure'\n  tls_config: {ca_file: ca.pem}",
    `localhost:${starttls.port}`,
  );
  assert.equal(upgraded.outcome.success, true, upgraded.logs.join("\n"));
  assert.ok(upgraded.get("probe_ssl_earliest_cert_expiry")! > Date.now() / 1000);
});

test("dns prober: an A query validated against miekg's record text", async () => {
  const { outcome, get, logs } = await probe(
    "prober: dns\ndns:\n  query_name: host.test\n  query_type: A\n  validate_answer_rrs:\n    fail_if_not_matches_regexp: ['^host\\.test\\.\\t300\\tIN\\tA\\t10\\.0\\.0\\.2$']",
    dnsmasq.server,
  );
  assert.equal(outcome.success, true, logs.join("\n"));
  assert.equal(get("probe_dns_answer_rrs"), 1);
  assert.equal(get("probe_dns_authority_rrs"), 0);
  assert.equal(get("probe_dns_additional_rrs"), 0, "no EDNS in the query, so no OPT record back");
  assert.equal(get("probe_dns_query_succeeded"), 1);
  assert.deepEqual(
    family(outcome, "probe_dns_duration_seconds")!.samples.map((s) => s.labels!.phase).sort(),
    ["connect", "request", "resolve"],
  );
  assert.ok(
    logs.includes('Validating RR rr="host.test.\\t300\\tIN\\tA\\t10.0.0.2"'),
    logs.join("\n"),
  );
});

test("dns prober: rcodes, record validation, TCP, SOA serial", async () => {
  const nx = await probe(
    "prober: dns\ndns: {query_name: nope.test, query_type: A}",
    dnsmasq.server,
  );
  assert.equal(nx.outcome.success, false);
  assert.equal(nx.get("probe_dns_query_succeeded"), 1);
  assert.equal(failure(nx.outcome), "validate/dns_rcode");
  const nxOk = await probe(
    "prober: dns\ndns: {query_name: nope.test, query_type: A, valid_rcodes: [NXDOMAIN]}",
    dnsmasq.server,
  );
  assert.equal(nxOk.outcome.success, true);
  const txt = await probe(
    "prober: dns\ndns: {query_name: txt.test, query_type: TXT, validate_answer_rrs: {fail_if_none_matches_regexp: ['\"second string\"$']}}",
    dnsmasq.server,
  );
  assert.equal(txt.outcome.success, true, txt.logs.join("\n"));
  const none = await probe(
    "prober: dns\ndns: {query_name: txt.test, query_type: TXT, validate_answer_rrs: {fail_if_none_matches_regexp: [zzz]}}",
    dnsmasq.server,
  );
  assert.equal(none.outcome.success, false);
  assert.equal(failure(none.outcome), "validate/dns_rr_mismatch");
  const mx = await probe(
    "prober: dns\ndns: {query_name: mx.test, query_type: MX, transport_protocol: tcp, validate_answer_rrs: {fail_if_not_matches_regexp: ['MX\\t10 mail\\.test\\.$']}}",
    dnsmasq.server,
  );
  assert.equal(mx.outcome.success, true, mx.logs.join("\n"));
  const soa = await probe(
    "prober: dns\ndns: {query_name: zone.test, query_type: SOA}",
    dnsmasq.server,
  );
  assert.equal(soa.get("probe_dns_serial"), 2024010101);
});

test("dns prober: a silent server fails before the deadline with probe_dns_query_succeeded 0", async () => {
  const t0 = performance.now();
  const { outcome, get } = await probe(
    "prober: dns\ndns: {query_name: host.test, query_type: A}",
    silentDns.server,
    500,
  );
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(outcome.success, false);
  assert.equal(get("probe_dns_query_succeeded"), 0);
  assert.ok(get("probe_dns_duration_seconds", { phase: "connect" })! > 0.3);
  assert.equal(failure(outcome), "query/dns_timeout");
});

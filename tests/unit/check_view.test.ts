/**
 * `check`'s view: the document parts built from a result (stages per hop, certificates without
 * PEM, addresses with --all-addrs), the staged report, the waterfall, the certificate lines and
 * the verdict, on hand-made results; and escaping of what the peer controls.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CheckHop, CheckResult, CheckTimings } from "../../lib/check/types.ts";
import {
  checkParts,
  checkText,
  verdictLine,
  waterfall,
} from "../../lib/output/views/check_view.ts";
import { plainStyle } from "../../lib/output/style.ts";

const timings: CheckTimings = {
  dnsMs: 1,
  connectMs: 2,
  tlsMs: 3,
  serverMs: 4,
  transferMs: 5,
  cumulativeMs: {
    namelookup: 1,
    connect: 3,
    appconnect: 6,
    pretransfer: 6,
    starttransfer: 10,
    total: 15,
  },
  curl: {
    namelookup: 0.001,
    connect: 0.003,
    appconnect: 0.006,
    pretransfer: 0.006,
    starttransfer: 0.01,
    total: 0.015,
  },
};

function hop(overrides: Partial<CheckHop> = {}): CheckHop {
  return {
    target: {
      scheme: "https",
      host: "example.test",
      port: 443,
      path: "/",
      url: "https://example.test/",
    },
    resolve: {
      status: "ok",
      ms: 1,
      source: "hosts",
      addresses: [{ address: "192.0.2.1", family: 4 }],
    },
    connect: {
      status: "ok",
      ms: 2,
      address: "192.0.2.1",
      port: 443,
      attempts: [{ address: "192.0.2.1", family: 4, startedMs: 0, status: "ok", ms: 2 }],
    },
    tls: {
      status: "ok",
      ms: 3,
      handshake: {
        protocol: "TLSv1.3",
        cipher: "TLS_AES_128_GCM_SHA256",
        alpnOffered: ["http/1.1"],
        alpn: "http/1.1",
        servername: "example.test",
        chain: [{
          subject: "CN=example.test",
          issuer: "CN=Test CA",
          subjectAltNames: ["DNS:example.test"],
          serial: "1000",
          notBefore: "2020-01-01T00:00:00.000Z",
          notAfter: "2099-01-01T00:00:00.000Z",
          daysLeft: 26000,
          sha256: "AB:CD",
          key: { type: "EC", bits: 256, curve: "P-256" },
          selfIssued: false,
          pem: "-----BEGIN CERTIFICATE-----",
        }],
        authorized: true,
        authorizationError: null,
        reasons: [],
        checkedName: "example.test",
        hostnameMatches: true,
        insecure: false,
      },
    },
    http: {
      status: "ok",
      ms: 9,
      method: "GET",
      url: "https://example.test/",
      statusCode: 200,
      statusText: "OK",
      headers: { contentType: "text/html" },
      bodyBytes: 1500,
    },
    timings,
    ...overrides,
  };
}

function result(overrides: Partial<CheckResult> = {}): CheckResult {
  const h = hop();
  return {
    target: h.target,
    hops: [h],
    expectations: [],
    verdict: { ok: true },
    exitCode: 0,
    totalMs: 15,
    ...overrides,
  };
}

test("checkParts lists each hop's stages in order and the verdict and timings in the summary", () => {
  const parts = checkParts("example.test", result());
  assert.deepEqual(parts.results.map((r) => r.stage), ["resolve", "connect", "tls", "http"]);
  assert.equal(parts.summary.target, "example.test");
  assert.equal(parts.summary.url, "https://example.test/");
  assert.deepEqual(parts.summary.verdict, { ok: true });
  assert.equal(parts.summary.timings, timings);
  assert.equal(parts.summary.hops, 1);
});

test("checkParts leaves the PEM text out of the certificates", () => {
  const tls = checkParts("x", result()).results[2];
  assert.equal(tls.stage, "tls");
  if (tls.stage !== "tls") return;
  assert.equal(tls.handshake?.chain[0].subject, "CN=example.test");
  assert.ok(!("pem" in (tls.handshake?.chain[0] ?? {})));
});

test("checkParts numbers redirect hops and adds one entry per address with --all-addrs", () => {
  const parts = checkParts(
    "x",
    result({
      hops: [hop(), hop()],
      allAddrs: [
        { address: "192.0.2.1", family: 4, startedMs: 0, status: "ok", ms: 1 },
        { address: "2001:db8::1", family: 6, startedMs: 0, status: "failed", code: "ECONNREFUSED" },
      ],
    }),
  );
  assert.deepEqual(
    parts.results.filter((r) => r.stage === "http").map((r) => "hop" in r && r.hop),
    [0, 1],
  );
  const addresses = parts.results.filter((r) => r.stage === "address");
  assert.equal(addresses.length, 2);
  assert.match(checkText(parts, plainStyle), /\[2001:db8::1\]:443 failed: ECONNREFUSED/);
});

test("the report shows every stage, the certificate, the waterfall and the verdict", () => {
  const text = checkText(checkParts("x", result()), plainStyle);
  assert.match(text, /^resolve +example\.test → 192\.0\.2\.1 \(hosts\) +1\.00 ms$/m);
  assert.match(text, /^connect +192\.0\.2\.1:443 +2\.00 ms$/m);
  assert.match(text, /^tls +TLSv1\.3 TLS_AES_128_GCM_SHA256, ALPN http\/1\.1, SNI example\.test/m);
  assert.match(text, /certificate CN=example\.test, issued by CN=Test CA/);
  assert.match(
    text,
    /expires 2099-01-01 \(26000 days left\), P-256 EC, verified \(example\.test\)/,
  );
  assert.match(text, /^http +GET https:\/\/example\.test\/ → 200 OK, text\/html, 1\.50 kB/m);
  assert.match(text, /DNS Lookup +TCP Connection +TLS Handshake +Server Processing/);
  assert.match(text, /starttransfer 10\.0 ms, total 15\.0 ms/);
  assert.match(text, /^verdict: ok$/m);
});

test("an expired, unverified certificate is reported with why it failed", () => {
  const h = hop();
  const hs = h.tls!.handshake!;
  const bad = hop({
    tls: {
      status: "failed",
      ms: 3,
      handshake: {
        ...hs,
        authorized: false,
        reasons: ["expired"],
        chain: [{ ...hs.chain[0], notAfter: "2020-06-01T00:00:00.000Z", daysLeft: -12 }],
      },
    },
    http: undefined,
  });
  const text = checkText(
    checkParts(
      "x",
      result({
        hops: [bad],
        verdict: {
          ok: false,
          stage: "tls",
          reason: "tls_cert_expired",
          detail: "certificate expired",
        },
        exitCode: 1,
      }),
    ),
    plainStyle,
  );
  assert.match(text, /expired 2020-06-01 \(12 days ago\)/);
  assert.match(text, /NOT verified: expired/);
  assert.match(text, /verdict: failed at tls: tls_cert_expired \(certificate expired\)/);
  assert.doesNotMatch(text, /Server Processing/, "no HTTP phases in the waterfall");
});

test("a refused connect shows no waterfall and names the stage in the verdict", () => {
  const refused = hop({
    connect: { status: "failed", ms: 1, port: 443, attempts: [], error: "refused" },
    tls: undefined,
    http: undefined,
  });
  const text = checkText(
    checkParts(
      "x",
      result({
        hops: [refused],
        verdict: { ok: false, stage: "connect", reason: "tcp_refused", detail: "refused" },
        exitCode: 1,
      }),
    ),
    plainStyle,
  );
  assert.match(text, /^connect +failed: refused/m);
  assert.doesNotMatch(text, /DNS Lookup/);
  assert.match(text, /verdict: failed at connect: tcp_refused/);
});

test("the waterfall leaves out TLS for plain HTTP and HTTP phases for TCP", () => {
  assert.doesNotMatch(waterfall(timings, { tls: false, http: true }), /TLS Handshake|appconnect/);
  const tcp = waterfall(timings, { tls: false, http: false });
  assert.doesNotMatch(tcp, /Server Processing|starttransfer/);
  assert.match(tcp, /namelookup 1\.00 ms, connect 3\.00 ms, total 15\.0 ms/);
});

test("the verdict line lists failed expectations after the first", () => {
  const line = verdictLine(
    { ok: false, stage: "expect", reason: "slo_exceeded", detail: "total 900 ms > 500 ms" },
    [
      { name: "slo", ok: false, detail: "total 900 ms > 500 ms" },
      { name: "body", ok: false, detail: "no match" },
      { name: "status", ok: true, detail: "200" },
    ],
    plainStyle,
  );
  assert.match(line, /^verdict: failed at expect: slo_exceeded \(total 900 ms > 500 ms\)/);
  assert.match(line, /expectations not met: slo: total 900 ms > 500 ms; body: no match/);
});

test("everything the peer controls is escaped", () => {
  const h = hop();
  const evil = hop({
    http: { ...h.http!, statusText: "OK\x1b[2J", headers: { contentType: "text/\x1b]0;x\x07" } },
    tls: {
      ...h.tls!,
      handshake: {
        ...h.tls!.handshake!,
        chain: [{ ...h.tls!.handshake!.chain[0], subject: "CN=\u202eevil" }],
      },
    },
  });
  const text = checkText(checkParts("x", result({ hops: [evil] })), plainStyle);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(text, /\x1b|\u202e|\x07/);
  assert.match(text, /OK\\e\[2J/);
});

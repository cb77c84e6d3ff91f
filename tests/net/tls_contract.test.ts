/**
 * The TLS part of the adapter contract (lib/net/tls.ts), on the runtime running the tests: a
 * local TLS server with a test PKI made by openssl — the handshake's facts, the chain as
 * presented (checked against `openssl x509`), each verification reason, and the stream on top.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connectTls, type TlsConnection } from "../../lib/net/tls.ts";
import { NetError } from "../../lib/net/types.ts";
import { makeTestPki, opensslText, type TestCert, type TestPki } from "../support/test_pki.ts";
import {
  startPlainServer,
  startResetServer,
  startSilentServer,
  startTlsServer,
  type TestServer,
} from "../support/http_servers.ts";
import { closedPort } from "../support/ports.ts";

let pki: TestPki;
before(() => {
  pki = makeTestPki();
});
after(() => pki.cleanup());

async function handshakeWith(
  cert: string,
  key: string,
  options: { servername?: string; ca?: boolean } = {},
): Promise<TlsConnection> {
  const server: TestServer = await startTlsServer(cert, key);
  try {
    return await connectTls({
      hostname: "127.0.0.1",
      port: server.port,
      servername: options.servername ?? "localhost",
      alpn: ["http/1.1"],
      ...(options.ca === false ? {} : { ca: pki.ca.cert }),
      timeoutMs: 5000,
    });
  } finally {
    await server.close();
  }
}

const leaf = (c: TestCert) => [pki.chain(c), c.key] as const;

test("tls connect reports version, cipher, ALPN and a verified chain of three", async () => {
  const conn = await handshakeWith(...leaf(pki.valid));
  conn.close();
  const h = conn.handshake;
  assert.match(h.protocol, /^TLSv1\.[23]$/);
  assert.ok(h.cipher.length > 3);
  assert.equal(h.alpn, "http/1.1");
  assert.equal(h.servername, "localhost");
  assert.equal(h.authorized, true, JSON.stringify(h.reasons));
  assert.deepEqual(h.reasons, []);
  assert.equal(h.hostnameMatches, true);
  assert.deepEqual(h.chain.map((c) => c.subject), [
    "CN=localhost",
    "CN=netdiag test intermediate, O=netdiag test",
    "O=netdiag test, CN=netdiag test root",
  ]);
  assert.ok(conn.tcpMs >= 0 && conn.tlsMs > 0);
});

test("tls certificate fields match what openssl x509 prints", async () => {
  const conn = await handshakeWith(...leaf(pki.valid));
  conn.close();
  const c = conn.handshake.chain[0];
  const { text, fingerprint } = opensslText(pki.valid.certFile);
  assert.equal(c.sha256, fingerprint);
  const serial = /Serial Number: (\d+) \(0x([0-9a-f]+)\)/.exec(text)!;
  assert.equal(c.serial, serial[2].toUpperCase());
  assert.match(text, /Subject: CN = localhost/);
  assert.match(text, /Issuer: CN = netdiag test intermediate, O = netdiag test/);
  assert.equal(c.issuer, "CN=netdiag test intermediate, O=netdiag test");
  assert.deepEqual(c.subjectAltNames, ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]);
  assert.match(text, /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
  const notAfter = /Not After : (.+)/.exec(text)![1];
  assert.equal(c.notAfter, new Date(Date.parse(notAfter)).toISOString());
  assert.ok(c.daysLeft >= 398 && c.daysLeft <= 400, String(c.daysLeft));
  assert.deepEqual(c.key, { type: "EC", bits: 256, curve: "P-256" });
  assert.equal(c.pem.trim(), pki.valid.cert.trim());
});

test("tls reports an RSA key's size", async () => {
  const conn = await handshakeWith(...leaf(pki.validRsa));
  conn.close();
  assert.deepEqual(conn.handshake.chain[0].key, { type: "RSA", bits: 2048 });
});

for (
  const [name, pick, expected, opts] of [
    ["expired", (p: TestPki) => leaf(p.expired), "expired", {}],
    ["not yet valid", (p: TestPki) => leaf(p.notYetValid), "not_yet_valid", {}],
    ["self-signed", (p: TestPki) => [p.selfSigned.cert, p.selfSigned.key], "self_signed", {}],
    ["incomplete chain", (p: TestPki) => [p.valid.cert, p.valid.key], "incomplete_chain", {}],
    ["untrusted (no test CA)", (p: TestPki) => leaf(p.valid), "untrusted", { ca: false }],
  ] as const
) {
  test(`tls verification reports ${name} and still gives the chain`, async () => {
    const [cert, key] = pick(pki);
    const conn = await handshakeWith(cert, key, opts);
    conn.close();
    const h = conn.handshake;
    assert.equal(h.authorized, false);
    assert.equal(h.reasons[0], expected, JSON.stringify([h.reasons, h.authorizationError]));
    assert.ok(h.chain.length >= 1);
    assert.equal(h.hostnameMatches, true);
  });
}

test("tls reports a host name mismatch on its own", async () => {
  const conn = await handshakeWith(...leaf(pki.wrongHost));
  conn.close();
  assert.equal(conn.handshake.authorized, false);
  assert.deepEqual(conn.handshake.reasons, ["hostname_mismatch"]);
  assert.equal(conn.handshake.chain[0].subject, "CN=wrong.example");
});

test("tls checks the IP address against IP SANs when no servername is given", async () => {
  const server = await startTlsServer(pki.chain(pki.valid), pki.valid.key);
  try {
    const conn = await connectTls({ hostname: "127.0.0.1", port: server.port, ca: pki.ca.cert });
    conn.close();
    assert.equal(conn.handshake.servername, null);
    assert.equal(conn.handshake.hostnameMatches, true);
  } finally {
    await server.close();
  }
});

test("tls connection carries the bytes the server sends, then end of stream", async () => {
  const server = await startTlsServer(pki.chain(pki.valid), pki.valid.key);
  const parts: string[] = [];
  try {
    const conn = await connectTls({ hostname: "127.0.0.1", port: server.port, ca: pki.ca.cert });
    for (let i = 0; i < 10; i++) {
      const chunk = await conn.readChunk();
      if (chunk === null) break;
      parts.push(new TextDecoder().decode(chunk));
    }
    conn.close();
  } finally {
    await server.close();
  }
  assert.equal(parts.join(""), "hello");
});

async function failure(p: Promise<unknown>): Promise<NetError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof NetError, String(error));
    return error;
  }
  assert.fail("expected a failure");
}

test("tls connect to a closed port fails with ECONNREFUSED", async () => {
  const port = await closedPort();
  const e = await failure(connectTls({ hostname: "127.0.0.1", port, timeoutMs: 2000 }));
  assert.equal(e.code, "ECONNREFUSED");
  assert.equal(e.name, "NetError");
});

for (
  const [name, start] of [
    ["a reset mid-handshake", startResetServer],
    ["a plain-TCP server", startPlainServer],
  ] as const
) {
  test(`tls handshake with ${name} fails as a handshake error`, async () => {
    const server = await start();
    try {
      const e = await failure(
        connectTls({ hostname: "127.0.0.1", port: server.port, timeoutMs: 3000 }),
      );
      assert.equal(e.name, "TlsHandshakeError", e.message);
    } finally {
      await server.close();
    }
  });
}

test("tls handshake with a silent server times out", async () => {
  const server = await startSilentServer();
  try {
    const e = await failure(
      connectTls({ hostname: "127.0.0.1", port: server.port, timeoutMs: 300 }),
    );
    assert.equal(e.code, "ETIMEDOUT");
  } finally {
    await server.close();
  }
});

test("tls connect stops with ABORTED on the signal", async () => {
  const server = await startSilentServer();
  try {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await failure(
      connectTls({ hostname: "127.0.0.1", port: server.port, timeoutMs: 5000, signal: ac.signal }),
    );
    assert.equal(e.code, "ABORTED");
  } finally {
    await server.close();
  }
});

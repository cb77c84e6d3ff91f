/**
 * `netdiag check` against real peers (Debian's `curl` and `openssl`) on the same loopback servers
 * and test certificates, on both targets: the status and redirect chain as `curl -sS -L -w`
 * reports them, every certificate field as `openssl x509 -noout -text -fingerprint -sha256` prints
 * it for the certificates `openssl s_client -showcerts` saw served, and the verification verdict
 * (pass/fail and the reason) as `curl --cacert` and `openssl s_client -verify_return_error` give
 * it. The peers run asynchronously: the servers live in this process and must keep answering.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNetdiag, type Target, targets } from "../support/cli.ts";
import { assertMatchesSchema } from "../support/schema.ts";
import { type Dnsmasq, startDnsmasq } from "../support/dnsmasq.ts";
import { makeTestPki, type TestCert, type TestPki } from "../support/test_pki.ts";
import { startHttpServer, startHttpsServer, type TestServer } from "../support/http_servers.ts";

interface PeerRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a peer tool to its end (never rejects for its exit code), stdin closed at once. */
function runPeer(cmd: string, args: readonly string[], timeoutMs = 15_000): Promise<PeerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (c: Uint8Array) => (stdout += new TextDecoder().decode(c)));
    child.stderr.on("data", (c: Uint8Array) => (stderr += new TextDecoder().decode(c)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd} (apt-get install ${cmd}): ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// deno-lint-ignore no-explicit-any
type Doc = any;

/** `netdiag check ARGS --json`: the document (schema-checked). */
async function checkDoc(target: Target, args: readonly string[]): Promise<Doc> {
  const r = await runNetdiag(target, ["check", ...args, "--json"], { timeoutMs: 20_000 });
  const doc = JSON.parse(r.stdout);
  assertMatchesSchema("check", doc);
  assert.equal(r.code, doc.exitCode, `check ${args.join(" ")}: ${r.stderr}`);
  return doc;
}

const stagesOf = (doc: Doc, stage: string) =>
  doc.results.filter((r: { stage: string }) => r.stage === stage);

/** What `openssl x509 -noout -text -fingerprint -sha256` prints, in netdiag's notation. */
interface OpensslCert {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  subjectAltNames: string[];
  key: { type: string; bits: number; curve?: string };
  sha256: string;
}

const compressV6 = (ip: string) =>
  ip.includes(":") ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;

/** Reads openssl's text output (OpenSSL 3.0's layout) into netdiag's notation. */
function parseOpensslText(text: string): OpensslCert {
  const field = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`openssl output lacks ${re}:\n${text}`);
    return m[1].trim();
  };
  const dn = (s: string) => s.replaceAll(" = ", "=");
  // "Serial Number: 4098 (0x1002)" or, for long serials, the hex bytes on the next line.
  const short = /Serial Number: \d+ \(0x([0-9a-f]+)\)/i.exec(text);
  const serial =
    (short ? short[1] : field(/Serial Number:\s*\n\s*([0-9a-f:]+)/i).replaceAll(":", ""))
      .toUpperCase().replace(/^0+(?=.)/, "");
  const date = (s: string) => new Date(Date.parse(s.replace(/\s+/g, " "))).toISOString();
  const sanLine = /X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(text)?.[1] ?? "";
  const subjectAltNames = sanLine.split(/,\s*/).filter(Boolean).map((s) =>
    s.startsWith("IP Address:") ? `IP:${compressV6(s.slice("IP Address:".length))}` : s
  );
  const algorithm = field(/Public Key Algorithm: (\S+)/);
  const bits = Number(field(/Public-Key: \((\d+) bit\)/));
  const key = algorithm === "rsaEncryption"
    ? { type: "RSA", bits }
    : algorithm === "id-ecPublicKey"
    ? { type: "EC", bits, curve: field(/NIST CURVE: (\S+)/) }
    : { type: algorithm, bits };
  return {
    subject: dn(field(/Subject: (.*)/)),
    issuer: dn(field(/Issuer: (.*)/)),
    serial,
    notBefore: date(field(/Not Before: (.*)/)),
    notAfter: date(field(/Not After : (.*)/)),
    subjectAltNames,
    key,
    sha256: field(/sha256 Fingerprint=([0-9A-F:]+)/),
  };
}

/** The certificates the server at `port` presents, as `openssl s_client -showcerts` saw them. */
async function servedChain(port: number, dir: string): Promise<string[]> {
  const r = await runPeer("openssl", [
    "s_client",
    "-connect",
    `127.0.0.1:${port}`,
    "-servername",
    "localhost",
    "-showcerts",
  ]);
  const pems = r.stdout.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  assert.ok(pems.length, `openssl s_client showed no certificate: ${r.stderr}`);
  return pems.map((pem, i) => {
    const file = join(dir, `served-${port}-${i}.pem`);
    writeFileSync(file, pem + "\n");
    return file;
  });
}

async function opensslCert(file: string): Promise<OpensslCert> {
  const r = await runPeer("openssl", [
    "x509",
    "-noout",
    "-text",
    "-fingerprint",
    "-sha256",
    "-in",
    file,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return parseOpensslText(r.stdout);
}

/** OpenSSL's verify error number (`verify error:num=10:…`) → netdiag's reason. */
function reasonForOpensslError(num: number, presented: number): string {
  switch (num) {
    case 9:
      return "tls_cert_not_yet_valid";
    case 10:
      return "tls_cert_expired";
    case 62:
      return "tls_hostname_mismatch";
    case 18: // self-signed leaf
    case 19: // self-signed root not trusted
      return "tls_cert_untrusted";
    case 20: // unable to get local issuer certificate
    case 21: // unable to verify the first certificate
      // A lone leaf that is not self-issued: the server left its intermediate out.
      return presented === 1 ? "tls_cert_incomplete_chain" : "tls_cert_untrusted";
    default:
      throw new Error(`no mapping for openssl verify error ${num}`);
  }
}

let pki: TestPki;
let plain: TestServer;
let dns: Dnsmasq;
const servers = new Map<string, TestServer>();

/** name → [certificate chain the server sends, key, the CA file the clients trust]. */
function scenarios(p: TestPki): Record<string, [string, TestCert, string]> {
  return {
    valid: [p.chain(p.valid), p.valid, p.ca.certFile],
    validRsa: [p.chain(p.validRsa), p.validRsa, p.ca.certFile],
    expired: [p.chain(p.expired), p.expired, p.ca.certFile],
    notYetValid: [p.chain(p.notYetValid), p.notYetValid, p.ca.certFile],
    wrongHost: [p.chain(p.wrongHost), p.wrongHost, p.ca.certFile],
    selfSigned: [p.selfSigned.cert, p.selfSigned, p.ca.certFile],
    missingIntermediate: [p.valid.cert, p.valid, p.ca.certFile],
    // The full chain, but the client trusts another root (the self-signed certificate).
    unknownRoot: [p.chain(p.valid), p.valid, p.selfSigned.certFile],
  };
}

before(async () => {
  pki = makeTestPki();
  for (const [name, [chain, leaf]] of Object.entries(scenarios(pki))) {
    servers.set(name, await startHttpsServer(chain, leaf.key));
  }
  plain = await startHttpServer();
  // A CNAME chain www.test → edge.test → web.test (127.0.0.1).
  dns = await startDnsmasq([
    "local=/test/",
    "host-record=web.test,127.0.0.1",
    "cname=www.test,edge.test",
    "cname=edge.test,web.test",
  ]);
});

after(async () => {
  for (const s of [...servers.values(), plain]) await s?.close();
  await dns?.stop();
  pki?.cleanup();
});

/** curl's view of a URL: each hop's status and location (from `-D -`), and its `-w` line. */
async function curlChain(url: string, extra: readonly string[] = []) {
  const r = await runPeer("curl", [
    "-sS",
    "-L",
    "-D",
    "-",
    "-o",
    "/dev/null",
    "-w",
    "\n%{http_code} %{num_redirects} %{url_effective}",
    ...extra,
    url,
  ]);
  const lines = r.stdout.trimEnd().split(/\r?\n/);
  const [code, redirects, effective] = lines.at(-1)!.split(" ");
  const statuses = lines.filter((l) => /^HTTP\/[\d.]+ \d{3}/.test(l)).map((l) =>
    Number(l.split(" ")[1])
  );
  return { exit: r.code, code: Number(code), redirects: Number(redirects), effective, statuses };
}

for (const target of targets()) {
  test(`[${target}] status and redirect chain equal curl -sS -L -w's, over HTTP and HTTPS`, async () => {
    const tlsPort = servers.get("valid")!.port;
    const cases: [string, string[], string[]][] = [
      [`http://127.0.0.1:${plain.port}/`, [], []],
      [`http://127.0.0.1:${plain.port}/redirect/3`, [], []],
      [`http://127.0.0.1:${plain.port}/status?code=404`, [], ["--expect-status", "100-599"]],
      [`http://127.0.0.1:${plain.port}/status?code=503`, [], ["--expect-status", "100-599"]],
      [`http://127.0.0.1:${plain.port}/chunked`, [], []],
      [
        `https://localhost:${tlsPort}/redirect/2`,
        ["--resolve", `localhost:${tlsPort}:127.0.0.1`, "--cacert", pki.ca.certFile],
        ["--resolve", `localhost:${tlsPort}:127.0.0.1`, "--ca", pki.ca.certFile],
      ],
    ];
    for (const [url, curlArgs, ndArgs] of cases) {
      const curl = await curlChain(url, curlArgs);
      assert.equal(curl.exit, 0, `curl ${url}`);
      const doc = await checkDoc(target, [url, "-L", ...ndArgs]);
      assert.equal(doc.exitCode, 0, `${url}: ${JSON.stringify(doc.summary.verdict)}`);
      const http = stagesOf(doc, "http");
      assert.deepEqual(http.map((h: Doc) => h.statusCode), curl.statuses, `${url}: each hop`);
      assert.equal(http.at(-1).statusCode, curl.code, `${url}: http_code`);
      assert.equal(doc.summary.hops - 1, curl.redirects, `${url}: num_redirects`);
      assert.equal(http.at(-1).url, curl.effective, `${url}: url_effective`);
    }
  });

  test(`[${target}] a redirect cap fails as curl's --max-redirs does (curl exit 47)`, async () => {
    const url = `http://127.0.0.1:${plain.port}/redirect/3`;
    const curl = await runPeer("curl", ["-sS", "-L", "--max-redirs", "1", "-o", "/dev/null", url]);
    assert.equal(curl.code, 47, curl.stderr);
    const doc = await checkDoc(target, [url, "-L", "--max-redirects", "1"]);
    assert.equal(doc.summary.verdict.reason, "http_too_many_redirects");
    assert.equal(doc.exitCode, 1);
    // Both made the first two requests (the cap is hit at the second redirect).
    assert.equal(doc.summary.hops, 2);
  });

  test(`[${target}] certificate fields equal openssl x509 -text's for each served certificate`, async () => {
    for (const name of ["valid", "validRsa", "expired", "selfSigned"]) {
      const port = servers.get(name)!.port;
      const files = await servedChain(port, pki.dir);
      const doc = await checkDoc(target, [
        `https://localhost:${port}/`,
        "--resolve",
        `localhost:${port}:127.0.0.1`,
        "--ca",
        pki.ca.certFile,
        "--insecure",
      ]);
      const chain = stagesOf(doc, "tls")[0].handshake.chain;
      // netdiag's chain starts with the presented certificates; after them may come the trust
      // anchor that completed verification (docs/commands/check.md: "The chain").
      assert.ok(chain.length >= files.length, `${name}: ${chain.length} < ${files.length}`);
      for (const [i, file] of files.entries()) {
        const want = await opensslCert(file);
        const got = chain[i];
        const have: OpensslCert = {
          subject: got.subject,
          issuer: got.issuer,
          serial: got.serial,
          notBefore: got.notBefore,
          notAfter: got.notAfter,
          subjectAltNames: got.subjectAltNames,
          key: got.key,
          sha256: got.sha256,
        };
        assert.deepEqual(have, want, `${name}: certificate ${i}`);
      }
      for (const extra of chain.slice(files.length)) {
        const anchor = await opensslCert(pki.ca.certFile);
        assert.equal(extra.sha256, anchor.sha256, `${name}: only the trust anchor is added`);
      }
    }
  });

  test(`[${target}] verification verdicts equal curl --cacert's and openssl s_client's`, async () => {
    const seen = new Set<string>();
    for (const [name, [, , caFile]] of Object.entries(scenarios(pki))) {
      const port = servers.get(name)!.port;
      const url = `https://localhost:${port}/`;
      const [curl, ossl] = await Promise.all([
        runPeer("curl", [
          "-sS",
          "-o",
          "/dev/null",
          "--resolve",
          `localhost:${port}:127.0.0.1`,
          "--cacert",
          caFile,
          url,
        ]),
        runPeer("openssl", [
          "s_client",
          "-connect",
          `127.0.0.1:${port}`,
          "-servername",
          "localhost",
          "-verify_return_error",
          "-verify_hostname",
          "localhost",
          "-CAfile",
          caFile,
          "-showcerts",
        ]),
      ]);
      const doc = await checkDoc(target, [
        url,
        "--resolve",
        `localhost:${port}:127.0.0.1`,
        "--ca",
        caFile,
      ]);
      const passed = doc.exitCode === 0;
      assert.equal(curl.code === 0, passed, `${name}: curl exit ${curl.code}: ${curl.stderr}`);
      assert.equal(ossl.code === 0, passed, `${name}: openssl exit ${ossl.code}`);
      if (passed) {
        assert.ok(name.startsWith("valid"), `${name} passed`);
        seen.add("ok");
        assert.match(ossl.stdout, /Verify return code: 0 \(ok\)/);
        continue;
      }
      assert.equal(curl.code, 60, `${name}: curl's CURLE_PEER_FAILED_VERIFICATION`);
      const m = /verify error:num=(\d+):(.*)/.exec(ossl.stdout + ossl.stderr);
      assert.ok(m, `${name}: openssl named no verify error:\n${ossl.stderr}`);
      const presented = (ossl.stdout.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
      const want = reasonForOpensslError(Number(m[1]), presented);
      assert.equal(doc.summary.verdict.stage, "tls", name);
      assert.equal(doc.summary.verdict.reason, want, `${name}: openssl said ${m[0]}`);
      assert.equal(doc.exitCode, 1, name);
      seen.add(want);
      // The certificate is reported even though verification failed.
      assert.ok(stagesOf(doc, "tls")[0].handshake.chain.length >= 1, name);
    }
    assert.deepEqual([...seen].sort(), [
      "ok",
      "tls_cert_expired",
      "tls_cert_incomplete_chain",
      "tls_cert_not_yet_valid",
      "tls_cert_untrusted",
      "tls_hostname_mismatch",
    ]);
  });
}

for (const target of targets()) {
  test(`[${target}] the resolve stage reports the CNAME chain as dig follows it`, async () => {
    const dig = await runPeer("dig", [
      "+short",
      "-p",
      String(dns.port),
      "@127.0.0.1",
      "www.test",
      "A",
    ]);
    assert.equal(dig.code, 0, dig.stderr);
    const chain = dig.stdout.trim().split("\n").map((l) => l.replace(/\.$/, ""));
    assert.deepEqual(chain, ["edge.test", "web.test", "127.0.0.1"]);
    const url = `http://www.test:${plain.port}/`;
    const doc = await checkDoc(target, [url, "--source", "dns", "--server", dns.server, "-4"]);
    assert.equal(doc.exitCode, 0, JSON.stringify(doc.summary.verdict));
    const resolve = stagesOf(doc, "resolve")[0];
    assert.equal(resolve.source, "dns");
    // The name asked, then each CNAME target dig printed, ending at the canonical name.
    assert.deepEqual([...resolve.aliases, resolve.canonicalName], [
      "www.test",
      ...chain.slice(0, -1),
    ]);
    assert.deepEqual(resolve.addresses.map((a: { address: string }) => a.address), [chain.at(-1)]);
    const human = await runNetdiag(target, [
      "check",
      url,
      "--source",
      "dns",
      "--server",
      dns.server,
      "-4",
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /www\.test → edge\.test/);
  });
}

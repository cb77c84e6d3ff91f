/**
 * A test PKI made with `openssl` at test time in a temp dir: a root CA, an intermediate CA, and
 * leaf certificates for `localhost` / 127.0.0.1 / ::1 — valid, expired, not yet valid, for the
 * wrong host name, self-signed, and served without its intermediate. P-256 keys (fast to make);
 * one RSA leaf for key-size reporting. `openssl ca` sets past and future dates (OpenSSL 3.0 has
 * no `-not_before`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A certificate and its key, as PEM, and the files they are in. */
export interface TestCert {
  /** The certificate (PEM). */
  readonly cert: string;
  /** Its private key (PEM). */
  readonly key: string;
  /** The certificate's file. */
  readonly certFile: string;
  /** The key's file. */
  readonly keyFile: string;
}

/** The test PKI: files under {@link TestPki.dir}, removed by `cleanup()`. */
export interface TestPki {
  readonly dir: string;
  /** The root CA (trust anchor; pass `ca.certFile` as `ca`). */
  readonly ca: TestCert;
  /** The intermediate CA signed by the root, which signs the leaves. */
  readonly intermediate: TestCert;
  /** localhost, 127.0.0.1, ::1; valid for 400 days. Serve with `chain(valid)`. */
  readonly valid: TestCert;
  /** Same names, RSA 2048. */
  readonly validRsa: TestCert;
  /** Same names, ended 10 days ago. */
  readonly expired: TestCert;
  /** Same names, valid from 10 days on. */
  readonly notYetValid: TestCert;
  /** For `wrong.example` only. */
  readonly wrongHost: TestCert;
  /** Self-signed, for localhost. */
  readonly selfSigned: TestCert;
  /** The leaf followed by the intermediate (PEM): what a server should send. */
  chain(leaf: TestCert): string;
  /** Removes the temp dir. */
  cleanup(): void;
}

const SANS = "DNS:localhost,IP:127.0.0.1,IP:::1";

function ymd(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
}

/** Makes the test PKI (needs `openssl` on PATH; ~1 s). */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-pki-"));
  const run = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  writeFileSync(
    join(dir, "ca.cnf"),
    `[ca]
default_ca = testca
[testca]
dir = ${dir}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = copy
[anything]
commonName = supplied
organizationName = optional
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`,
  );
  const files = (name: string): TestCert => ({
    certFile: join(dir, `${name}.pem`),
    keyFile: join(dir, `${name}.key`),
    get cert() {
      return readFileSync(join(dir, `${name}.pem`), "utf8");
    },
    get key() {
      return readFileSync(join(dir, `${name}.key`), "utf8");
    },
  });
  const key = (name: string, rsa = false) =>
    rsa
      ? run(
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        `${name}.key`,
      )
      : run(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        `${name}.key`,
      );
  // Root: self-signed.
  key("ca");
  run(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-subj",
    "/O=netdiag test/CN=netdiag test root",
    "-days",
    "3650",
    "-out",
    "ca.pem",
    "-config",
    "ca.cnf",
    "-extensions",
    "v3_ca",
  );
  const sign = (
    name: string,
    subject: string,
    issuer: string,
    ext: string,
    start: number,
    end: number,
    sans?: string,
    rsa = false,
  ) => {
    key(name, rsa);
    run(
      "req",
      "-new",
      "-key",
      `${name}.key`,
      "-subj",
      subject,
      "-out",
      `${name}.csr`,
      ...(sans ? ["-addext", `subjectAltName=${sans}`] : []),
    );
    run(
      "ca",
      "-batch",
      "-config",
      "ca.cnf",
      "-cert",
      `${issuer}.pem`,
      "-keyfile",
      `${issuer}.key`,
      "-in",
      `${name}.csr`,
      "-out",
      `${name}.pem`,
      "-extensions",
      ext,
      "-notext",
      "-startdate",
      ymd(start),
      "-enddate",
      ymd(end),
    );
  };
  sign("intermediate", "/O=netdiag test/CN=netdiag test intermediate", "ca", "v3_ca", -1, 3000);
  sign("valid", "/CN=localhost", "intermediate", "v3_leaf", -1, 400, SANS);
  sign("validRsa", "/CN=localhost", "intermediate", "v3_leaf", -1, 400, SANS, true);
  sign("expired", "/CN=localhost", "intermediate", "v3_leaf", -40, -10, SANS);
  sign("notYetValid", "/CN=localhost", "intermediate", "v3_leaf", 10, 400, SANS);
  sign("wrongHost", "/CN=wrong.example", "intermediate", "v3_leaf", -1, 400, "DNS:wrong.example");
  key("selfSigned");
  run(
    "req",
    "-x509",
    "-new",
    "-key",
    "selfSigned.key",
    "-subj",
    "/CN=localhost",
    "-days",
    "30",
    "-out",
    "selfSigned.pem",
    "-addext",
    `subjectAltName=${SANS}`,
  );
  const intermediate = files("intermediate");
  return {
    dir,
    ca: files("ca"),
    intermediate,
    valid: files("valid"),
    validRsa: files("validRsa"),
    expired: files("expired"),
    notYetValid: files("notYetValid"),
    wrongHost: files("wrongHost"),
    selfSigned: files("selfSigned"),
    chain: (leaf) => leaf.cert + intermediate.cert,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What `openssl x509 -noout -text` / `-fingerprint -sha256` print of a certificate file. */
export function opensslText(certFile: string): { text: string; fingerprint: string } {
  const text = execFileSync("openssl", ["x509", "-noout", "-text", "-in", certFile]).toString();
  const fp = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", certFile])
    .toString().trim();
  return { text, fingerprint: fp.slice(fp.indexOf("=") + 1) };
}

/**
 * Describing a TLS peer's certificates from `node:tls`'s legacy objects: subject and issuer in
 * the certificate's own attribute order, SANs, serial, validity, fingerprint, key, PEM.
 *
 * A description depends only on the certificate's bytes (its SHA-256 fingerprint) except for
 * `daysLeft`, so each distinct certificate is described once per process (a bounded memo of pure
 * results, {@link CERTIFICATE_MEMO_SIZE} entries) and `daysLeft` is computed at every use: a
 * repeated check of one server parses its chain once instead of once per connection.
 * @module
 */
import { X509Certificate } from "node:crypto";
import * as tls from "node:tls";

/** The public key of a certificate. */
export interface TlsKeyInfo {
  /** `RSA`, `EC`, `Ed25519`, … */
  readonly type: string;
  /** Key size in bits. */
  readonly bits?: number;
  /** The curve of an EC key (`P-256`, `prime256v1`). */
  readonly curve?: string;
}

/** One certificate as the peer presented it. */
export interface TlsCertificate {
  /** Subject as `CN=…, O=…` (attribute order as the runtime gives it). */
  readonly subject: string;
  readonly issuer: string;
  /** Subject alternative names: `DNS:name`, `IP:addr` (IPv6 compressed). */
  readonly subjectAltNames: readonly string[];
  /** Serial number, uppercase hex as openssl prints it without separators. */
  readonly serial: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  readonly daysLeft: number;
  /** SHA-256 fingerprint, `AB:CD:…` as `openssl x509 -fingerprint -sha256`. */
  readonly sha256: string;
  readonly key: TlsKeyInfo;
  /** Subject equals issuer. */
  readonly selfIssued: boolean;
  /** The certificate, PEM. */
  readonly pem: string;
}

/** A legacy peer certificate object with the fields some runtimes add. */
export type LegacyCertificate = tls.DetailedPeerCertificate & {
  bits?: number;
  asn1Curve?: string;
  nistCurve?: string;
  modulus?: string;
};

/** How many distinct certificates' descriptions are kept (then the memo starts again). */
export const CERTIFICATE_MEMO_SIZE = 256;

const described = new Map<string, Omit<TlsCertificate, "daysLeft">>();
const nameChecks = new Map<string, boolean>();

/**
 * Whether `leaf` is a certificate for `name` (`tls.checkServerIdentity`; brackets of an IPv6
 * literal dropped), memoised by the certificate's fingerprint and the name.
 */
export function certificateMatchesName(leaf: LegacyCertificate, name: string): boolean {
  const bare = name.replace(/^\[|\]$/g, "");
  const key = `${leaf.fingerprint256}/${leaf.raw.length}\u0000${bare}`;
  let matches = nameChecks.get(key);
  if (matches === undefined) {
    if (nameChecks.size >= CERTIFICATE_MEMO_SIZE) nameChecks.clear();
    matches = tls.checkServerIdentity(bare, leaf) === undefined;
    nameChecks.set(key, matches);
  }
  return matches;
}

/**
 * The chain the peer presented, leaf first, walked from `first` (the runtime's leaf object, whose
 * `issuerCertificate` links it follows; stopped at a repeat or after 16), with the leaf's legacy
 * object (what `tls.checkServerIdentity` takes).
 */
export function peerChain(
  first: LegacyCertificate | undefined,
  now = Date.now(),
): { chain: TlsCertificate[]; leaf: LegacyCertificate | undefined } {
  const chain: TlsCertificate[] = [];
  const seen = new Set<string>();
  let cur = first;
  while (cur && cur.raw && chain.length < 16) {
    const fp = cur.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    chain.push(describeCertificate(cur, now));
    cur = cur.issuerCertificate as LegacyCertificate | undefined;
  }
  return { chain, leaf: first && first.raw ? first : undefined };
}

/** One certificate's description (memoised by fingerprint; `daysLeft` as of `now`). */
export function describeCertificate(c: LegacyCertificate, now = Date.now()): TlsCertificate {
  const key = `${c.fingerprint256}/${c.raw.length}`;
  let base = described.get(key);
  if (!base) {
    if (described.size >= CERTIFICATE_MEMO_SIZE) described.clear();
    base = describeFresh(c);
    described.set(key, base);
  }
  return { ...base, daysLeft: Math.floor((Date.parse(base.notAfter) - now) / 86_400_000) };
}

function describeFresh(c: LegacyCertificate): Omit<TlsCertificate, "daysLeft"> {
  let subject = dn(c.subject);
  let issuer = dn(c.issuer);
  try {
    // X509Certificate keeps the DN's order (the runtime's object may not).
    const x = new X509Certificate(c.raw);
    subject = x.subject.split("\n").join(", ");
    issuer = x.issuer.split("\n").join(", ");
  } catch {
    // keep the runtime's object order
  }
  const b64 = toBase64(c.raw);
  return {
    subject,
    issuer,
    subjectAltNames: parseSubjectAltNames(c.subjectaltname),
    serial: String(c.serialNumber).toUpperCase().replace(/^0+(?=.)/, ""),
    notBefore: iso(c.valid_from),
    notAfter: iso(c.valid_to),
    sha256: c.fingerprint256.toUpperCase(),
    key: keyOf(c),
    selfIssued: subject === issuer,
    pem: `-----BEGIN CERTIFICATE-----\n${
      b64.replace(/.{64}/g, "$&\n")
    }\n-----END CERTIFICATE-----\n`
      .replace("\n\n", "\n"),
  };
}

function toBase64(raw: Uint8Array): string {
  let text = "";
  for (let i = 0; i < raw.length; i += 0x2000) {
    text += String.fromCharCode.apply(null, Array.from(raw.subarray(i, i + 0x2000)));
  }
  return btoa(text);
}

function dn(name: unknown): string {
  if (!name || typeof name !== "object") return "";
  return Object.entries(name as Record<string, string | string[]>)
    .map(([k, v]) => Array.isArray(v) ? v.map((x) => `${k}=${x}`).join(", ") : `${k}=${v}`)
    .join(", ");
}

function compressIp(ip: string): string {
  if (!ip.includes(":")) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

/** `DNS:a, IP Address:1.2.3.4` (runtime) → `["DNS:a", "IP:1.2.3.4"]`. */
export function parseSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  return text.split(/,\s*/).filter(Boolean).map((part) => {
    const i = part.indexOf(":");
    const kind = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim().replace(/^"|"$/g, "");
    if (kind === "IP Address") return `IP:${compressIp(value)}`;
    return `${kind}:${value}`;
  });
}

function iso(text: string): string {
  const t = Date.parse(text.replace(/\s+/g, " "));
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

function keyOf(c: LegacyCertificate): TlsKeyInfo {
  if (c.modulus) return { type: "RSA", bits: c.bits };
  if (c.asn1Curve || c.nistCurve) {
    return { type: "EC", bits: c.bits, curve: c.nistCurve ?? c.asn1Curve };
  }
  try {
    const key = new X509Certificate(c.raw).publicKey;
    const type = key.asymmetricKeyType ?? "unknown";
    return {
      type: type === "ed25519" ? "Ed25519" : type === "ed448" ? "Ed448" : type,
      bits: c.bits,
    };
  } catch {
    return { type: "unknown", bits: c.bits };
  }
}

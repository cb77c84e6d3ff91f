/**
 * The TLS families of a probe from a handshake: blackbox_exporter's `probe_ssl_*` and
 * `probe_tls_version_info` (for a connection it used), and netdiag's `netdiag_tls_cert_*`, which
 * are also set when verification failed and blackbox reports nothing.
 * @module
 */
import { X509Certificate } from "node:crypto";
import type { TlsCertificate, TlsHandshake } from "../net/tls.ts";
import type { Gauges } from "./gauges.ts";

/** Go's zero time as a Unix timestamp: what blackbox reports for a chain it did not verify. */
export const GO_ZERO_TIME = -62135596800;

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** `TLSv1.3` → `TLS 1.3`, as blackbox's `probe_tls_version_info{version}` names it. */
export function tlsVersionLabel(protocol: string): string {
  const m = /^TLSv1(?:\.([0-3]))?$/.exec(protocol);
  return m ? `TLS 1.${m[1] ?? "0"}` : "unknown";
}

const GO_NAMES: Readonly<Record<string, string>> = {
  C: "C",
  ST: "ST",
  L: "L",
  street: "STREET",
  postalCode: "POSTALCODE",
  O: "O",
  OU: "OU",
  CN: "CN",
  serialNumber: "SERIALNUMBER",
};
const GO_ORDER = ["C", "ST", "L", "STREET", "POSTALCODE", "O", "OU", "CN", "SERIALNUMBER"];

function goEscape(value: string): string {
  return value.replace(/([,+"\\<>;])/g, "\\$1").replace(/^([ #])/, "\\$1").replace(/ $/, "\\ ");
}

/**
 * A distinguished name (node:crypto's lines, certificate order) as Go's pkix.Name.String() writes
 * it: the attributes Go knows in its own order (C, ST, L, STREET, POSTALCODE, O, OU, CN,
 * SERIALNUMBER; one CN and serial number), others before them, then the whole reversed and joined
 * with `,`. (Go writes unknown attributes as OID=#hex; they are kept by name here.)
 */
export function goDistinguishedName(lines: string): string {
  const known = new Map<string, string[]>();
  const other: string[] = [];
  for (const rdn of lines.split("\n").filter(Boolean)) {
    const i = rdn.indexOf("=");
    const key = GO_NAMES[rdn.slice(0, i)];
    const value = goEscape(rdn.slice(i + 1));
    if (!key) other.push(`${rdn.slice(0, i)}=${value}`);
    else if (key === "CN" || key === "SERIALNUMBER") known.set(key, [`${key}=${value}`]);
    else known.set(key, [...(known.get(key) ?? []), `${key}=${value}`]);
  }
  const seq = [...other, ...GO_ORDER.flatMap((k) => known.get(k) ?? [])];
  return seq.reverse().join(",");
}

/** The leaf's labels of `probe_ssl_last_chain_info`. */
export function chainInfoLabels(leaf: TlsCertificate): Record<string, string> {
  let subject = leaf.subject, issuer = leaf.issuer;
  try {
    const x = new X509Certificate(leaf.pem);
    subject = goDistinguishedName(x.subject);
    issuer = goDistinguishedName(x.issuer);
  } catch {
    // keep netdiag's own rendering
  }
  return {
    fingerprint_sha256: leaf.sha256.replace(/:/g, "").toLowerCase(),
    subject,
    issuer,
    subjectalternative: leaf.subjectAltNames.filter((n) => n.startsWith("DNS:"))
      .map((n) => n.slice(4)).join(","),
  };
}

/**
 * Sets blackbox's TLS families for a connection the probe used. `verified` false (insecure_skip_verify)
 * gives the chain expiry of Go's zero time, as blackbox's empty VerifiedChains do.
 */
export function setBlackboxTls(gauges: Gauges, h: TlsHandshake, verified: boolean): void {
  if (!h.chain.length) return;
  const earliest = Math.min(...h.chain.map((c) => seconds(c.notAfter)));
  gauges.set("probe_ssl_earliest_cert_expiry", earliest);
  gauges.set("probe_tls_version_info", 1, { version: tlsVersionLabel(h.protocol) });
  gauges.set("probe_ssl_last_chain_expiry_timestamp_seconds", verified ? earliest : GO_ZERO_TIME);
  gauges.set("probe_ssl_last_chain_info", 1, chainInfoLabels(h.chain[0]));
}

/** Sets netdiag's certificate families, whatever verification found. */
export function setNetdiagTls(gauges: Gauges, h: TlsHandshake): void {
  const leaf = h.chain[0];
  gauges.set("netdiag_tls_cert_verified", h.reasons.length === 0 ? 1 : 0);
  if (!leaf) return;
  gauges.set("netdiag_tls_cert_not_after_timestamp_seconds", seconds(leaf.notAfter));
  gauges.set("netdiag_tls_cert_info", 1, {
    ...chainInfoLabels(leaf),
    verify_error: h.reasons.join(","),
  });
}

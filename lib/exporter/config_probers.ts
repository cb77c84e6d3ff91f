/**
 * The prober sections of a blackbox.yml module (`http`, `tcp`, `dns`) and their `tls_config`,
 * read with blackbox_exporter 0.23's keys and defaults; valid blackbox keys netdiag cannot honour
 * are refused by name with the reason.
 * @module
 */
import { parseBase2Size, Section } from "./config_values.ts";
import type {
  DnsModule,
  HeaderMatch,
  HttpModule,
  IpProtocol,
  QueryResponseStep,
  RrValidation,
  TcpModule,
  TlsConfig,
} from "./types.ts";

/** Reads a file named in the config (a CA file, a password file); throws with the reason. */
export type ReadConfigFile = (path: string) => string;

const CLIENT_CERT = "client certificates are not implemented";

/** `tls_config.min_version`'s names (Go's) and the runtime's names of the same versions. */
export const TLS_MIN_VERSIONS = {
  TLS10: "TLSv1",
  TLS11: "TLSv1.1",
  TLS12: "TLSv1.2",
  TLS13: "TLSv1.3",
} as const;

/** `tls_config` of a section. */
export function readTlsConfig(section: Section, read: ReadConfigFile): TlsConfig {
  const s = new Section(section.module, section.keyPath("tls_config"), section.node("tls_config"));
  const caFile = s.string("ca_file");
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = read(caFile);
    } catch (error) {
      throw s.error(
        s.keyPath("ca_file"),
        `names ${JSON.stringify(caFile)}, which cannot be read: ${(error as Error).message}`,
      );
    }
    if (!ca.includes("-----BEGIN CERTIFICATE-----")) {
      throw s.error(
        s.keyPath("ca_file"),
        `names ${JSON.stringify(caFile)}, which holds no PEM certificate`,
      );
    }
  }
  const min = s.string("min_version");
  if (min !== undefined && !Object.hasOwn(TLS_MIN_VERSIONS, min)) {
    throw s.error(
      s.keyPath("min_version"),
      `must be TLS10, TLS11, TLS12 or TLS13, not ${JSON.stringify(min)}`,
    );
  }
  const out: TlsConfig = {
    insecureSkipVerify: s.bool("insecure_skip_verify", false),
    ...(ca !== undefined ? { ca, caFile } : {}),
    ...(s.has("server_name") ? { serverName: s.string("server_name") } : {}),
    ...(min ? { minVersion: min as TlsConfig["minVersion"] } : {}),
  };
  s.done({ cert_file: CLIENT_CERT, key_file: CLIENT_CERT });
  return out;
}

function ipProtocol(s: Section): { preferredIpProtocol: IpProtocol; ipProtocolFallback: boolean } {
  const p = s.string("preferred_ip_protocol") ?? "ip6";
  if (p !== "ip4" && p !== "ip6") {
    throw s.error(
      s.keyPath("preferred_ip_protocol"),
      `must be ip4 or ip6, not ${JSON.stringify(p)}`,
    );
  }
  return { preferredIpProtocol: p, ipProtocolFallback: s.bool("ip_protocol_fallback", true) };
}

function headerMatches(s: Section, key: string): HeaderMatch[] {
  return s.sections(key).map((m) => {
    const header = m.string("header");
    const text = m.string("regexp");
    if (!header) throw m.error(m.keyPath("header"), "is missing");
    if (text === undefined) throw m.error(m.keyPath("regexp"), "is missing");
    const out = {
      header,
      regexp: m.regexp(m.keyPath("regexp"), text),
      allowMissing: m.bool("allow_missing", false),
    };
    m.done();
    return out;
  });
}

function authHeaders(s: Section, read: ReadConfigFile): Record<string, string> {
  const fromFile = (section: Section, key: string) => {
    const file = section.string(key);
    if (file === undefined) return undefined;
    try {
      return read(file).trim();
    } catch (error) {
      throw section.error(
        section.keyPath(key),
        `names ${JSON.stringify(file)}, which cannot be read: ${(error as Error).message}`,
      );
    }
  };
  let auth: string | undefined;
  if (s.has("basic_auth")) {
    const b = new Section(s.module, s.keyPath("basic_auth"), s.node("basic_auth"));
    const user = b.string("username") ?? "";
    const pass = b.string("password") ?? fromFile(b, "password_file") ?? "";
    b.done();
    auth = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${pass}`)))}`;
  }
  const bearer = s.string("bearer_token") ?? fromFile(s, "bearer_token_file");
  if (bearer !== undefined) auth = `Bearer ${bearer}`;
  if (s.has("authorization")) {
    const a = new Section(s.module, s.keyPath("authorization"), s.node("authorization"));
    const type = a.string("type") ?? "Bearer";
    const credentials = a.string("credentials") ?? fromFile(a, "credentials_file") ?? "";
    a.done();
    auth = `${type} ${credentials}`;
  }
  return auth === undefined ? {} : { Authorization: auth };
}

/** The `http` section. */
export function readHttp(s: Section, read: ReadConfigFile): HttpModule {
  const codes = s.list("valid_status_codes").map((c) => {
    if (!/^\d{3}$/.test(c)) {
      throw s.error(
        s.keyPath("valid_status_codes"),
        `has ${JSON.stringify(c)}, not an HTTP status code`,
      );
    }
    return Number(c);
  });
  const regexps = (key: string) => s.list(key).map((t) => s.regexp(s.keyPath(key), t));
  const noFollow = s.has("no_follow_redirects") ? s.bool("no_follow_redirects", false) : undefined;
  const limitText = s.string("body_size_limit");
  const limit = limitText === undefined ? 0 : parseBase2Size(limitText);
  if (limit === undefined) {
    throw s.error(
      s.keyPath("body_size_limit"),
      `must be a size such as 10MB, not ${JSON.stringify(limitText)}`,
    );
  }
  const auth = authHeaders(s, read);
  const headers = { ...auth, ...s.stringMap("headers") };
  const out: HttpModule = {
    validStatusCodes: codes,
    validHttpVersions: s.list("valid_http_versions"),
    method: s.string("method") || "GET",
    headers,
    ...(s.has("body") ? { body: s.string("body") } : {}),
    followRedirects: s.bool("follow_redirects", noFollow === undefined ? true : !noFollow),
    failIfSsl: s.bool("fail_if_ssl", false),
    failIfNotSsl: s.bool("fail_if_not_ssl", false),
    failIfBodyMatchesRegexp: regexps("fail_if_body_matches_regexp"),
    failIfBodyNotMatchesRegexp: regexps("fail_if_body_not_matches_regexp"),
    failIfHeaderMatches: headerMatches(s, "fail_if_header_matches"),
    failIfHeaderNotMatches: headerMatches(s, "fail_if_header_not_matches"),
    tlsConfig: readTlsConfig(s, read),
    ...ipProtocol(s),
    ...(limit ? { bodySizeLimit: limit } : {}),
  };
  s.bool("enable_http2", true);
  if (s.has("skip_resolve_phase_with_proxy") && s.bool("skip_resolve_phase_with_proxy", false)) {
    throw s.error(
      s.keyPath("skip_resolve_phase_with_proxy"),
      "is not supported by netdiag: proxies are not implemented",
    );
  }
  s.done({
    compression: "response decompression is not implemented",
    oauth2: "OAuth 2.0 is not implemented",
    proxy_url: "proxies are not implemented",
  });
  return out;
}

/** The `tcp` section. */
export function readTcp(s: Section, read: ReadConfigFile): TcpModule {
  const steps: QueryResponseStep[] = s.sections("query_response").map((q) => {
    const expect = q.string("expect");
    const step = {
      ...(expect !== undefined && expect !== ""
        ? { expect: q.regexp(q.keyPath("expect"), expect) }
        : {}),
      ...(q.has("send") ? { send: q.string("send") } : {}),
      starttls: q.bool("starttls", false),
    };
    q.done();
    return step;
  });
  const out: TcpModule = {
    queryResponse: steps,
    tls: s.bool("tls", false),
    tlsConfig: readTlsConfig(s, read),
    ...ipProtocol(s),
  };
  s.done({ source_ip_address: "binding a source address is not implemented" });
  return out;
}

/** Query types the dns prober asks for, by name (miekg/dns's names), with their numbers. */
export const DNS_QUERY_TYPES: Readonly<Record<string, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  SSHFP: 44,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  TLSA: 52,
  SVCB: 64,
  HTTPS: 65,
  CAA: 257,
  ANY: 255,
};

/** Query classes by name, with their numbers. */
export const DNS_QUERY_CLASSES: Readonly<Record<string, number>> = {
  IN: 1,
  CH: 3,
  HS: 4,
  NONE: 254,
  ANY: 255,
};

/** Response codes miekg/dns names, with their numbers. */
export const DNS_RCODES: Readonly<Record<string, number>> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  BADSIG: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADMODE: 19,
  BADNAME: 20,
  BADALG: 21,
  BADTRUNC: 22,
  BADCOOKIE: 23,
};

function rrValidation(s: Section, key: string): RrValidation {
  const v = new Section(s.module, s.keyPath(key), s.node(key));
  const list = (k: string) => v.list(k).map((t) => v.regexp(v.keyPath(k), t));
  const out = {
    failIfMatchesRegexp: list("fail_if_matches_regexp"),
    failIfAllMatchRegexp: list("fail_if_all_match_regexp"),
    failIfNotMatchesRegexp: list("fail_if_not_matches_regexp"),
    failIfNoneMatchesRegexp: list("fail_if_none_matches_regexp"),
  };
  v.done();
  return out;
}

/** The `dns` section. */
export function readDns(s: Section, read: ReadConfigFile): DnsModule {
  const queryName = s.string("query_name");
  if (!queryName) {
    throw s.error(s.keyPath("query_name"), "is missing: a dns module must name its query");
  }
  const pick = (key: string, table: Readonly<Record<string, number>>, fallback: string) => {
    const v = s.string(key) ?? fallback;
    if (!(v in table)) {
      throw s.error(
        s.keyPath(key),
        `has ${JSON.stringify(v)}: expected one of ${Object.keys(table).join(", ")}`,
      );
    }
    return v;
  };
  const rcodes = s.list("valid_rcodes");
  for (const r of rcodes) {
    if (!(r in DNS_RCODES)) {
      throw s.error(s.keyPath("valid_rcodes"), `has ${JSON.stringify(r)}, not a response code`);
    }
  }
  const transport = s.string("transport_protocol") || "udp";
  if (transport !== "udp" && transport !== "tcp") {
    throw s.error(
      s.keyPath("transport_protocol"),
      `must be udp or tcp, not ${JSON.stringify(transport)}`,
    );
  }
  const out: DnsModule = {
    queryName,
    queryType: pick("query_type", DNS_QUERY_TYPES, "ANY"),
    queryClass: pick("query_class", DNS_QUERY_CLASSES, "IN"),
    validRcodes: rcodes.length ? rcodes : ["NOERROR"],
    validateAnswerRrs: rrValidation(s, "validate_answer_rrs"),
    validateAuthorityRrs: rrValidation(s, "validate_authority_rrs"),
    validateAdditionalRrs: rrValidation(s, "validate_additional_rrs"),
    transportProtocol: transport,
    recursionDesired: s.bool("recursion_desired", true),
    ...ipProtocol(s),
  };
  if (s.bool("dns_over_tls", false)) {
    throw s.error(
      s.keyPath("dns_over_tls"),
      "is not supported by netdiag: DNS over TLS is not implemented",
    );
  }
  if (s.has("tls_config")) readTlsConfig(s, read);
  s.done({ source_ip_address: "binding a source address is not implemented" });
  return out;
}

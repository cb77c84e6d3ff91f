import { test } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/exporter/config.ts";
import { compileGoRegexp } from "../../lib/exporter/go_regexp.ts";
import { ConfigError } from "../../lib/exporter/types.ts";

const files: Record<string, string> = {
  "/etc/bb/ca.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
  "/etc/bb/pass": "s3cret\n",
};
const options = {
  baseDir: "/etc/bb",
  readTextFile: (path: string) => {
    if (!(path in files)) throw new Error(`ENOENT: no such file ${path}`);
    return files[path];
  },
};
const load = (text: string) => parseConfig(text, options);
const refuses = (text: string, message: RegExp) =>
  assert.throws(
    () => load(text),
    (e: unknown) => e instanceof ConfigError && message.test(e.message),
  );

test("parseConfig() applies blackbox_exporter's defaults to http, tcp and dns modules", () => {
  const c = load(
    "modules:\n  http_2xx:\n    prober: http\n  tcp_connect:\n    prober: tcp\n    timeout: 5s\n" +
      "  dns_a:\n    prober: dns\n    dns:\n      query_name: example.com\n",
  );
  const http = c.modules.get("http_2xx")!;
  assert.equal(http.prober, "http");
  assert.equal(http.timeoutMs, 0);
  assert.deepEqual(http.http!.validStatusCodes, []);
  assert.equal(http.http!.method, "GET");
  assert.equal(http.http!.followRedirects, true);
  assert.equal(http.http!.preferredIpProtocol, "ip6");
  assert.equal(http.http!.ipProtocolFallback, true);
  assert.equal(http.http!.tlsConfig.insecureSkipVerify, false);
  assert.deepEqual(http.netdiag, { allAddresses: false, connects: 1 });
  const tcp = c.modules.get("tcp_connect")!;
  assert.equal(tcp.timeoutMs, 5000);
  assert.deepEqual(tcp.tcp!.queryResponse, []);
  assert.equal(tcp.tcp!.tls, false);
  const dns = c.modules.get("dns_a")!.dns!;
  assert.equal(dns.queryType, "ANY");
  assert.equal(dns.queryClass, "IN");
  assert.deepEqual(dns.validRcodes, ["NOERROR"]);
  assert.equal(dns.transportProtocol, "udp");
  assert.equal(dns.recursionDesired, true);
  assert.equal(c.source.includes("http_2xx"), true);
});

test("parseConfig() reads every supported key: http, tcp query_response, dns validations, netdiag", () => {
  const c = load(`modules:
  full:
    prober: http
    timeout: 1m30s
    http:
      valid_status_codes: [200, 301]
      valid_http_versions: ["HTTP/1.1"]
      method: POST
      headers: {X-Num: 0x10, Host: example.com}
      body: '{"a":1}'
      no_follow_redirects: true
      fail_if_ssl: false
      fail_if_not_ssl: true
      fail_if_body_matches_regexp: ["(?i)error"]
      fail_if_body_not_matches_regexp: ["ok"]
      fail_if_header_matches: [{header: Server, regexp: "^nginx", allow_missing: true}]
      fail_if_header_not_matches: [{header: Content-Type, regexp: "json"}]
      tls_config: {insecure_skip_verify: true, ca_file: ca.pem, server_name: x.test, min_version: TLS12}
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      basic_auth: {username: u, password_file: pass}
      body_size_limit: 1MB
      enable_http2: false
    netdiag: {all_addresses: true, connects: 5}
  irc:
    prober: tcp
    tcp:
      query_response:
        - expect: "PING :([^ ]+)"
          send: "PONG \${1}"
        - starttls: true
      tls_config: {server_name: irc.test}
`);
  const m = c.modules.get("full")!;
  const h = m.http!;
  assert.equal(m.timeoutMs, 90_000);
  assert.deepEqual(h.validStatusCodes, [200, 301]);
  assert.deepEqual(h.validHttpVersions, ["HTTP/1.1"]);
  assert.equal(h.method, "POST");
  assert.equal(h.headers["X-Num"], "0x10");
  assert.equal(h.headers.Host, "example.com");
  assert.equal(h.headers.Authorization, `Basic ${btoa("u:s3cret")}`);
  assert.equal(h.body, '{"a":1}');
  assert.equal(h.followRedirects, false);
  assert.equal(h.failIfNotSsl, true);
  assert.equal(h.failIfBodyMatchesRegexp[0].test("AN ERROR"), true);
  assert.equal(h.failIfHeaderMatches[0].allowMissing, true);
  assert.equal(h.tlsConfig.ca, files["/etc/bb/ca.pem"]);
  assert.equal(h.tlsConfig.caFile, "ca.pem");
  assert.equal(h.tlsConfig.minVersion, "TLS12");
  assert.equal(h.bodySizeLimit, 1024 * 1024);
  assert.equal(h.preferredIpProtocol, "ip4");
  assert.equal(h.ipProtocolFallback, false);
  assert.deepEqual(m.netdiag, { allAddresses: true, connects: 5 });
  const steps = c.modules.get("irc")!.tcp!.queryResponse;
  assert.equal(steps[0].send, "PONG ${1}");
  assert.equal(steps[0].expect!.exec("PING :abc")![1], "abc");
  assert.equal(steps[1].starttls, true);
});

test("parseConfig() refuses invalid YAML with its line", () => {
  refuses(
    "modules:\n  a:\n    prober: http\n  a:\n    prober: tcp\n",
    /^invalid YAML at line 4, column 3: Map keys must be unique/,
  );
  refuses("modules:\n  x: [1,\n", /^invalid YAML at line \d+/);
});

test("parseConfig() refuses unknown keys at every level, naming module and key", () => {
  refuses(
    "modules:\n  x:\n    prober: http\n    http:\n      foo: 1\n",
    /^module "x": unknown key "http\.foo"$/,
  );
  refuses("modules:\n  x:\n    prober: http\n    bar: 1\n", /^module "x": unknown key "bar"$/);
  refuses(
    "modules:\n  x:\n    prober: http\n    http:\n      tls_config: {nope: 1}\n",
    /^module "x": unknown key "http\.tls_config\.nope"$/,
  );
  refuses(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      query_response: [{expect: a, sned: b}]\n",
    /unknown key "tcp\.query_response\[0\]\.sned"/,
  );
  refuses(
    "modules:\n  x:\n    prober: dns\n    dns:\n      query_name: a\n      validate_answer_rrs: {fail_if_bogus: [x]}\n",
    /unknown key "dns\.validate_answer_rrs\.fail_if_bogus"/,
  );
  refuses(
    "modules:\n  x:\n    prober: http\n    netdiag: {every: true}\n",
    /unknown key "netdiag\.every"/,
  );
  refuses("global: {}\nmodules: {}\n", /^unknown top-level key "global"$/);
});

test("parseConfig() refuses icmp and grpc probers, saying why", () => {
  refuses(
    "modules:\n  ping:\n    prober: icmp\n",
    /^module "ping": prober "icmp" is not supported by netdiag: neither Deno nor Bun can open raw ICMP sockets$/,
  );
  refuses(
    "modules:\n  g:\n    prober: grpc\n",
    /^module "g": prober "grpc" is not supported by netdiag: netdiag has no gRPC client$/,
  );
  refuses(
    "modules:\n  x:\n    prober: http\n    icmp: {ttl: 5}\n",
    /module "x": key "icmp" is not supported by netdiag/,
  );
  refuses(
    "modules:\n  x:\n    prober: ftp\n",
    /module "x": key "prober" has "ftp": expected http, tcp or dns/,
  );
  refuses("modules:\n  x:\n    timeout: 5s\n", /module "x": key "prober" is missing/);
});

test("parseConfig() refuses valid blackbox keys netdiag does not support, by name", () => {
  const cases: [string, RegExp][] = [
    [
      "http:\n      compression: gzip",
      /key "http\.compression" is not supported by netdiag: response decompression/,
    ],
    [
      "http:\n      proxy_url: http://p:3128",
      /key "http\.proxy_url" is not supported by netdiag: proxies/,
    ],
    ["http:\n      oauth2: {client_id: a}", /key "http\.oauth2" is not supported by netdiag/],
    [
      "http:\n      tls_config: {cert_file: c.pem}",
      /key "http\.tls_config\.cert_file" is not supported by netdiag: client certificates/,
    ],
    [
      "http:\n      tls_config: {key_file: k.pem}",
      /key "http\.tls_config\.key_file" is not supported/,
    ],
    [
      "http:\n      skip_resolve_phase_with_proxy: true",
      /key "http\.skip_resolve_phase_with_proxy" is not supported/,
    ],
  ];
  for (const [section, message] of cases) {
    refuses(`modules:\n  x:\n    prober: http\n    ${section}\n`, message);
  }
  refuses(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      source_ip_address: 10.0.0.1\n",
    /key "tcp\.source_ip_address" is not supported/,
  );
  refuses(
    "modules:\n  x:\n    prober: dns\n    dns:\n      query_name: a\n      dns_over_tls: true\n",
    /key "dns\.dns_over_tls" is not supported/,
  );
  refuses(
    "modules:\n  x:\n    prober: dns\n    netdiag: {connects: 3}\n    dns:\n      query_name: a\n",
    /key "netdiag\.connects" applies to http and tcp modules only/,
  );
});

test("parseConfig() refuses bad values: durations, enumerations, codes, booleans", () => {
  const http = (body: string) => `modules:\n  x:\n    prober: http\n    ${body}\n`;
  refuses(http("timeout: 5"), /key "timeout" must be a duration such as 5s/);
  refuses(http("timeout: 5 s"), /key "timeout" must be a duration/);
  refuses(
    http("http: {preferred_ip_protocol: ipv4}"),
    /key "http\.preferred_ip_protocol" must be ip4 or ip6, not "ipv4"/,
  );
  refuses(
    http("http: {valid_status_codes: [2xx]}"),
    /key "http\.valid_status_codes" has "2xx", not an HTTP status code/,
  );
  refuses(
    http("http: {follow_redirects: yes}"),
    /key "http\.follow_redirects" must be true or false, not "yes"/,
  );
  refuses(
    http("http: {tls_config: {min_version: TLS14}}"),
    /min_version" must be TLS10, TLS11, TLS12 or TLS13/,
  );
  refuses(http("http: {body_size_limit: lots}"), /body_size_limit" must be a size/);
  refuses(
    http("netdiag: {connects: 0}"),
    /key "netdiag\.connects" must be an integer from 1 to 100/,
  );
  const dns = (body: string) => `modules:\n  d:\n    prober: dns\n    dns:\n      ${body}\n`;
  refuses(dns("query_type: A"), /key "dns\.query_name" is missing/);
  refuses(
    dns("query_name: a\n      query_type: BOGUS"),
    /key "dns\.query_type" has "BOGUS": expected one of A, NS/,
  );
  refuses(
    dns("query_name: a\n      valid_rcodes: [NOPE]"),
    /key "dns\.valid_rcodes" has "NOPE", not a response code/,
  );
  refuses(dns("query_name: a\n      transport_protocol: sctp"), /must be udp or tcp, not "sctp"/);
});

test("parseConfig() refuses regular expressions Go would refuse or JavaScript cannot mean the same", () => {
  const re = (pattern: string) =>
    `modules:\n  x:\n    prober: http\n    http:\n      fail_if_body_matches_regexp: ['${pattern}']\n`;
  refuses(
    re("a(b"),
    /key "http\.fail_if_body_matches_regexp" has regular expression "a\(b" that cannot be used/,
  );
  refuses(re("(?=x)"), /look-around assertions are not RE2 syntax/);
  refuses(re("(a)\\1"), /RE2 has no back-references/);
  refuses(re("a(?i)b"), /flags are only supported as \(\?i\), \(\?s\) or \(\?m\) at the start/);
  refuses(re("(?U)a+"), /flags are only supported/);
  refuses(re("[[:^alpha:]]"), /negated POSIX class/);
  refuses(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      query_response: [{expect: '[a'}]\n",
    /key "tcp\.query_response\[0\]\.expect" has regular expression "\[a"/,
  );
});

test("compileGoRegexp() converts RE2 syntax JavaScript spells differently", () => {
  const matches = (pattern: string, text: string) => compileGoRegexp(pattern).test(text);
  assert.equal(matches("^+OK", "+OK ready"), false);
  assert.equal(matches("^+OK", "OK ready"), true);
  assert.equal(compileGoRegexp("(?P<word>\\w+)").exec("hi")!.groups!.word, "hi");
  assert.equal(matches("(?i)^hello$", "HELLO"), true);
  assert.equal(matches("(?s)a.b", "a\nb"), true);
  assert.equal(matches("a.b", "a\nb"), false);
  assert.equal(matches("\\Aab\\z", "ab"), true);
  assert.equal(matches("\\Aab\\z", "ab\n"), false);
  assert.equal(matches("\\Qa.b\\E", "axb"), false);
  assert.equal(matches("\\Qa.b\\E", "a.b"), true);
  assert.equal(matches("[[:digit:]]{3}", "a123"), true);
  assert.equal(matches("\\pL+", "é"), true);
  assert.equal(matches("\\p{Greek}", "λ"), true);
  assert.equal(matches("\\x{41}\\-\\:", "A-:"), true);
  assert.equal(matches("a{,2}", "a{,2}"), true);
  assert.equal(matches("\\s", "\u00a0"), false, "RE2's \\s is ASCII only");
  assert.equal(matches("\\s", "\t"), true);
});

test("parseConfig() reads ca_file relative to baseDir and names a file it cannot read", () => {
  const c = load(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      tls: true\n      tls_config: {ca_file: ca.pem}\n",
  );
  assert.equal(c.modules.get("x")!.tcp!.tlsConfig.ca, files["/etc/bb/ca.pem"]);
  const abs = load(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      tls_config: {ca_file: /etc/bb/ca.pem}\n",
  );
  assert.equal(abs.modules.get("x")!.tcp!.tlsConfig.caFile, "/etc/bb/ca.pem");
  refuses(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      tls_config: {ca_file: missing.pem}\n",
    /module "x": key "tcp\.tls_config\.ca_file" names "missing\.pem", which cannot be read: ENOENT: no such file \/etc\/bb\/missing\.pem/,
  );
  refuses(
    "modules:\n  x:\n    prober: tcp\n    tcp:\n      tls_config: {ca_file: pass}\n",
    /names "pass", which holds no PEM certificate/,
  );
});

test("parseConfig() takes an empty modules map and refuses a config that is not a map", () => {
  assert.equal(load("modules: {}\n").modules.size, 0);
  refuses("", /the config is empty/);
  refuses("- a\n", /must be a map with a "modules" key/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parseIpLiteral,
  parseScopedIpLiteral,
  reverseName,
  reverseNameOf,
  validateDnsName,
} from "../../lib/core/dns_name.ts";
import {
  dnsStatusExitCode,
  dnsStatusText,
  followChain,
  quoteCharacterString,
  responseStatus,
  toDnsRecord,
  worstExitCode,
} from "../../lib/core/dns_records.ts";
import { rcodeName, rcodeText } from "../../lib/core/dns_rcodes.ts";
import { formatDnsServer, parseDnsServer } from "../../lib/core/dns_server.ts";
import { parseRecordType } from "../../lib/core/dns_types.ts";
import { InputError } from "../../lib/core/errors.ts";
import { defaultDnsServer, parseResolvConf } from "../../lib/core/resolv_conf.ts";

const inputError = (pattern: RegExp) => (e: unknown) =>
  e instanceof InputError && e.exitCode === 2 && pattern.test(e.message);

test("validateDnsName() strips one trailing dot", () => {
  assert.equal(validateDnsName("example.com."), "example.com");
  assert.equal(validateDnsName("_sip._tcp.example.com"), "_sip._tcp.example.com");
});

test("validateDnsName() rejects an empty name naming it", () => {
  assert.throws(() => validateDnsName(""), inputError(/invalid name "": empty/));
  assert.throws(() => validateDnsName("."), inputError(/invalid name ".": empty/));
});

test("validateDnsName() allows the root only when asked", () => {
  assert.equal(validateDnsName(".", { allowRoot: true }), ".");
});

test("validateDnsName() rejects names over 253 characters and labels over 63", () => {
  const long = Array.from({ length: 127 }, () => "a").join(".") + "b"; // 254 characters
  assert.equal(long.length, 254);
  assert.throws(() => validateDnsName(long), inputError(/254 characters, at most 253/));
  const ok253 = long.slice(0, 253);
  assert.equal(validateDnsName(ok253), ok253);
  assert.throws(() => validateDnsName("a".repeat(64) + ".test"), inputError(/64 characters/));
  assert.equal(validateDnsName("a".repeat(63) + ".test"), "a".repeat(63) + ".test");
});

test("validateDnsName() counts the UTF-8 octets of labels and names, as they go on the wire", () => {
  assert.throws(() => validateDnsName("é".repeat(32) + ".test"), inputError(/64 octets in UTF-8/));
  const long = Array.from({ length: 5 }, () => "é".repeat(30)).join(".");
  assert.throws(() => validateDnsName(long), inputError(/304 octets in UTF-8, at most 253/));
  assert.equal(validateDnsName("é".repeat(31) + ".test"), "é".repeat(31) + ".test");
});

test("validateDnsName() rejects empty labels and whitespace", () => {
  assert.throws(() => validateDnsName("a..b"), inputError(/"a\.\.b": empty label/));
  assert.throws(() => validateDnsName("a b"), inputError(/whitespace/));
});

test("reverseName() builds in-addr.arpa and ip6.arpa names", () => {
  assert.equal(reverseName("127.0.0.1"), "1.0.0.127.in-addr.arpa");
  assert.equal(
    reverseName("2001:db8::1"),
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
  );
  assert.throws(() => reverseName("127.1"), inputError(/invalid address "127.1"/));
});

test("reverseNameOf() unmaps IPv4-mapped addresses only when asked, as gethostbyaddr does", () => {
  const mapped = parseIpLiteral("::ffff:10.1.2.3")!;
  assert.equal(reverseNameOf(mapped, true), "3.2.1.10.in-addr.arpa");
  assert.match(reverseNameOf(mapped), /\.ip6\.arpa$/);
  assert.match(reverseNameOf(parseIpLiteral("::1")!, true), /\.ip6\.arpa$/);
});

test("parseIpLiteral() is strict and gives canonical IPv6 text", () => {
  assert.deepEqual(parseIpLiteral("[2001:DB8:0::1]")?.text, "2001:db8::1");
  assert.equal(parseIpLiteral("127.1"), undefined);
  assert.equal(parseIpLiteral("[127.0.0.1]"), undefined);
});

test("parseRecordType() takes any case and names an unknown type", () => {
  assert.equal(parseRecordType("mx"), "MX");
  assert.throws(() => parseRecordType("FOO"), inputError(/unknown record type "FOO"/));
});

test("parseDnsServer() takes IPv4 and IPv6 with and without a port", () => {
  assert.deepEqual(parseDnsServer("127.0.0.1"), { hostname: "127.0.0.1", port: 53 });
  assert.deepEqual(parseDnsServer("127.0.0.1:5353"), { hostname: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseDnsServer("::1"), { hostname: "::1", port: 53 });
  assert.deepEqual(parseDnsServer("[::1]:5353"), { hostname: "::1", port: 5353 });
  assert.equal(formatDnsServer({ hostname: "::1", port: 53 }), "[::1]:53");
});

test("parseDnsServer() rejects names, bad ports and bracketed IPv4, naming the value", () => {
  assert.throws(() => parseDnsServer("dns.example"), inputError(/"dns\.example"/));
  assert.throws(() => parseDnsServer("127.0.0.1:0"), inputError(/port "0"/));
  assert.throws(() => parseDnsServer("127.0.0.1:70000"), inputError(/port "70000"/));
  assert.throws(() => parseDnsServer("[127.0.0.1]:53"), inputError(/invalid DNS server/));
});

test("parseResolvConf() reads name servers, search list and options", () => {
  const conf = parseResolvConf(
    "# x\nnameserver 10.0.0.53 # c\nnameserver fe80::1%eth0\nnameserver bogus\n" +
      "search a.example b.example\noptions ndots:2 timeout:3 attempts:4 rotate\n",
  );
  assert.deepEqual(conf.nameservers, ["10.0.0.53", "fe80::1"]);
  assert.deepEqual(conf.search, ["a.example", "b.example"]);
  assert.equal(conf.ndots, 2);
  assert.equal(conf.timeoutSeconds, 3);
  assert.equal(conf.attempts, 4);
  assert.deepEqual(defaultDnsServer(conf), { hostname: "10.0.0.53", port: 53 });
});

test("defaultDnsServer() falls back to 127.0.0.1 as glibc does", () => {
  assert.deepEqual(defaultDnsServer(parseResolvConf("")), { hostname: "127.0.0.1", port: 53 });
});

test("toDnsRecord() keeps a multi-string TXT record as one record", () => {
  const enc = new TextEncoder();
  const r = toDnsRecord({
    name: "txt.test",
    type: "TXT",
    ttl: 60,
    data: [enc.encode("first string"), enc.encode('say "hi"\u0001')],
  });
  assert.deepEqual(r.value, ["first string", 'say "hi"\u0001']);
  assert.equal(r.data, '"first string" "say \\"hi\\"\\001"');
});

test("toDnsRecord() prints names without trailing dots and IPv6 canonically", () => {
  assert.equal(
    toDnsRecord({ name: "mx.test.", type: "MX", data: { preference: 10, exchange: "m.test." } })
      .data,
    "10 m.test",
  );
  assert.equal(toDnsRecord({ name: "h", type: "AAAA", data: "FD00:0:0::2" }).data, "fd00::2");
  assert.equal(toDnsRecord({ name: "r", type: "NS", data: "." }).data, ".");
  const soa = toDnsRecord({
    name: "test",
    type: "SOA",
    ttl: 1,
    data: {
      mname: "ns.test.",
      rname: "host.test",
      serial: 1,
      refresh: 2,
      retry: 3,
      expire: 4,
      minimum: 5,
    },
  });
  assert.equal(soa.data, "ns.test host.test 1 2 3 4 5");
});

test("toDnsRecord() formats SRV, CAA and NAPTR as dig does", () => {
  assert.equal(
    toDnsRecord({
      name: "s",
      type: "SRV",
      data: { priority: 10, weight: 20, port: 5060, target: "sip.test" },
    }).data,
    "10 20 5060 sip.test",
  );
  assert.equal(
    toDnsRecord({ name: "c", type: "CAA", data: { flags: 0, tag: "issue", value: "ca.test" } })
      .data,
    '0 issue "ca.test"',
  );
  assert.equal(
    toDnsRecord({
      name: "n",
      type: "NAPTR",
      data: {
        order: 100,
        preference: 10,
        flags: "U",
        services: "E2U+sip",
        regexp: "!^.*$!sip:x@y!",
        replacement: ".",
      },
    }).data,
    '100 10 "U" "E2U+sip" "!^.*$!sip:x@y!" .',
  );
});

test("quoteCharacterString() escapes backslash, quote and non-printable bytes", () => {
  assert.equal(quoteCharacterString(new Uint8Array([0x5c, 0x22, 0x41, 0xff])), '"\\\\\\"A\\255"');
});

test("responseStatus() tells NODATA from NOERROR and passes every rcode through by name", () => {
  const a = toDnsRecord({ name: "h", type: "A", data: "10.0.0.1" });
  assert.equal(responseStatus("NOERROR", [a], "A"), "NOERROR");
  assert.equal(responseStatus("NOERROR", [a], "MX"), "NODATA");
  assert.equal(responseStatus("NOERROR", [], "A"), "NODATA");
  assert.equal(responseStatus("NXDOMAIN", [], "A"), "NXDOMAIN");
  assert.equal(responseStatus("SERVFAIL", [], "A"), "SERVFAIL");
  assert.equal(responseStatus("REFUSED", [], "A"), "REFUSED");
  assert.equal(responseStatus("YXDOMAIN", [], "A"), "YXDOMAIN");
  assert.equal(responseStatus("RCODE15", [], "A"), "RCODE15");
  assert.equal(dnsStatusText("RCODE15"), "unassigned response code 15");
  assert.equal(dnsStatusText("BADVERS"), "the server does not support this EDNS version");
  assert.equal(dnsStatusText("MALFORMED"), "the reply is malformed");
});

test("rcodeName() names every assigned rcode, and RCODE<n> the others", () => {
  const names = Array.from({ length: 24 }, (_, n) => rcodeName(n));
  assert.deepEqual(names, [
    "NOERROR",
    "FORMERR",
    "SERVFAIL",
    "NXDOMAIN",
    "NOTIMP",
    "REFUSED",
    "YXDOMAIN",
    "YXRRSET",
    "NXRRSET",
    "NOTAUTH",
    "NOTZONE",
    "DSOTYPENI",
    "RCODE12",
    "RCODE13",
    "RCODE14",
    "RCODE15",
    "BADVERS",
    "BADKEY",
    "BADTIME",
    "BADMODE",
    "BADNAME",
    "BADALG",
    "BADTRUNC",
    "BADCOOKIE",
  ]);
  for (const name of names) assert.notEqual(rcodeText(name), "error");
  assert.equal(rcodeName(4095), "RCODE4095");
});

test("parseScopedIpLiteral() reads an IPv6 zone and leaves it out of the reverse name", () => {
  const ip = parseScopedIpLiteral("fe80::1%lo")!;
  assert.deepEqual([ip.family, ip.text, ip.zone], [6, "fe80::1%lo", "lo"]);
  assert.equal(reverseNameOf(ip), reverseName("fe80::1"));
  assert.equal(reverseName("[fe80::0:1%eth0.100]"), reverseName("fe80::1"));
  assert.equal(parseScopedIpLiteral("127.0.0.1")?.text, "127.0.0.1");
  for (const bad of ["127.0.0.1%lo", "fe80::1%", "fe80::1%a b", "fe80::1%%x", "host%lo"]) {
    assert.equal(parseScopedIpLiteral(bad), undefined, bad);
  }
});

test("dnsStatusExitCode() is 1 for NXDOMAIN and NODATA, 3 for failures and timeouts", () => {
  assert.equal(dnsStatusExitCode("NOERROR"), 0);
  assert.equal(dnsStatusExitCode("NXDOMAIN"), 1);
  assert.equal(dnsStatusExitCode("NODATA"), 1);
  assert.equal(dnsStatusExitCode("SERVFAIL"), 3);
  assert.equal(dnsStatusExitCode("TIMEOUT"), 3);
  assert.equal(worstExitCode([0, 1, 0]), 1);
  assert.equal(worstExitCode([1, 3, 0]), 3);
});

test("followChain() follows CNAMEs to the records of the canonical name", () => {
  const answers = [
    toDnsRecord({ name: "alias1.test", type: "CNAME", data: "alias2.test" }),
    toDnsRecord({ name: "alias2.test", type: "CNAME", data: "Host.test." }),
    toDnsRecord({ name: "host.test", type: "A", data: "10.0.0.2" }),
    toDnsRecord({ name: "other.test", type: "A", data: "10.0.0.9" }),
  ];
  const chain = followChain("alias1.test", answers, "A");
  assert.equal(chain.canonicalName, "Host.test");
  assert.deepEqual(chain.aliases, ["alias1.test", "alias2.test"]);
  assert.deepEqual(chain.records.map((r) => r.value), ["10.0.0.2"]);
});

test("followChain() stops on a CNAME loop", () => {
  const answers = [
    toDnsRecord({ name: "a.test", type: "CNAME", data: "b.test" }),
    toDnsRecord({ name: "b.test", type: "CNAME", data: "a.test" }),
  ];
  const chain = followChain("a.test", answers, "A");
  assert.deepEqual(chain.aliases, ["a.test", "b.test"]);
  assert.deepEqual(chain.records, []);
});

test("validateDnsName() takes and refuses ASCII names as the rules say, whatever the path", () => {
  // The rules, written plainly: no whitespace or control character, at most 253 characters
  // without one trailing dot, no empty label, none over 63.
  const expected = (text: string): string | undefined => {
    // deno-lint-ignore no-control-regex
    if (/[\s\x00-\x1f\x7f]/.test(text)) return undefined;
    const name = text.endsWith(".") ? text.slice(0, -1) : text;
    if (name.length === 0 || name.length > 253) return undefined;
    return name.split(".").every((l) => l.length > 0 && l.length <= 63) ? name : undefined;
  };
  const outcome = (text: string) => {
    try {
      return validateDnsName(text);
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      return undefined;
    }
  };
  const alphabet = ["a", "b", "-", "0", ".", ".", " ", "\t", "\x7f", "\x01", "_"];
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const samples = [".", "..", "a.", "a..", ".a", "a".repeat(63), "a".repeat(64), "a.".repeat(127)];
  samples.push(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`);
  samples.push(`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`);
  for (let i = 0; i < 3000; i++) {
    let s = "";
    for (let n = random(12); n > 0; n--) s += alphabet[random(alphabet.length)];
    samples.push(s, s.replace(/[^a.]/g, "x"));
  }
  for (const s of samples) assert.equal(outcome(s), expected(s), JSON.stringify(s));
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseIpLiteral } from "../../lib/core/dns_name.ts";
import {
  hostsByAddress,
  hostsByName,
  hostsLookup,
  parseHostsFile,
} from "../../lib/core/hosts_file.ts";

// Expected values below are what CPython's socket module answered on glibc 2.36 (Debian 12)
// with exactly this file bind-mounted over /etc/hosts ("multi on").
const HOSTS = [
  "# comment line",
  "127.0.0.1 localhost",
  "::1 localhost ip6-localhost ip6-loopback",
  "127.0.0.2 dual dual-alias # trailing comment",
  "::2 dual",
  "10.0.0.1 other DUAL",
  "::ffff:10.9.9.9 mapped mapped-alias",
  "010.0.0.5 leadingzero",
  "fe80::1%eth0 scoped",
  "10.0.0.7",
  "10.0.0.8\ttabbed\ttab-alias",
  "10.0.0.1 second-for-10",
].join("\n");

const lines = parseHostsFile(HOSTS);

function ex(name: string) {
  const a = hostsByName(lines, name, 4);
  return a && [a.canonicalName, a.aliases, a.addresses.map((x) => x.address)];
}

function byAddr(address: string) {
  const a = hostsByAddress(lines, parseIpLiteral(address)!);
  return a && [a.hostname, a.aliases, a.addresses];
}

test("parseHostsFile() skips comments and addresses inet_pton refuses, keeping line numbers", () => {
  assert.deepEqual(lines.map((l) => l.line), [2, 3, 4, 5, 6, 7, 10, 11, 12]);
  assert.deepEqual(lines[2].aliases, ["dual-alias"]);
  assert.equal(lines[6].canonical, "");
});

test("hostsByName() merges every matching line as glibc's gethostbyname_ex does", () => {
  assert.deepEqual(ex("dual"), ["dual", ["dual-alias", "DUAL", "other"], [
    "127.0.0.2",
    "10.0.0.1",
  ]]);
  assert.deepEqual(ex("DUAL"), ["dual", ["dual-alias", "DUAL", "other"], [
    "127.0.0.2",
    "10.0.0.1",
  ]]);
  assert.deepEqual(ex("dual-alias"), ["dual", ["dual-alias"], ["127.0.0.2"]]);
  assert.deepEqual(ex("other"), ["other", ["DUAL"], ["10.0.0.1"]]);
  assert.deepEqual(ex("tab-alias"), ["tabbed", ["tab-alias"], ["10.0.0.8"]]);
  assert.deepEqual(ex("second-for-10"), ["second-for-10", [], ["10.0.0.1"]]);
});

test("hostsByName() reads ::1 as 127.0.0.1 and IPv4-mapped lines as IPv4 for IPv4", () => {
  assert.deepEqual(ex("localhost"), [
    "localhost",
    ["ip6-localhost", "ip6-loopback"],
    ["127.0.0.1", "127.0.0.1"],
  ]);
  assert.deepEqual(ex("ip6-loopback"), [
    "localhost",
    ["ip6-localhost", "ip6-loopback"],
    ["127.0.0.1"],
  ]);
  assert.deepEqual(ex("mapped"), ["mapped", ["mapped-alias"], ["10.9.9.9"]]);
});

test("hostsByName() finds nothing for refused lines and unknown names", () => {
  assert.equal(ex("leadingzero"), undefined);
  assert.equal(ex("scoped"), undefined);
  assert.equal(ex("nosuch"), undefined);
});

test("hostsByAddress() takes the first line with the address, as gethostbyaddr does", () => {
  assert.deepEqual(byAddr("127.0.0.1"), ["localhost", [], ["127.0.0.1"]]);
  assert.deepEqual(byAddr("::1"), ["localhost", ["ip6-localhost", "ip6-loopback"], ["::1"]]);
  assert.deepEqual(byAddr("127.0.0.2"), ["dual", ["dual-alias"], ["127.0.0.2"]]);
  assert.deepEqual(byAddr("::2"), ["dual", [], ["::2"]]);
  assert.deepEqual(byAddr("10.0.0.1"), ["other", ["DUAL"], ["10.0.0.1"]]);
  assert.deepEqual(byAddr("10.9.9.9"), ["mapped", ["mapped-alias"], ["10.9.9.9"]]);
  assert.deepEqual(byAddr("::ffff:10.9.9.9"), ["mapped", ["mapped-alias"], ["::ffff:10.9.9.9"]]);
  assert.deepEqual(byAddr("10.0.0.7"), ["", [], ["10.0.0.7"]]);
});

test("hostsByAddress() does not see IPv4 lines from an IPv4-mapped IPv6 address", () => {
  assert.equal(byAddr("::ffff:127.0.0.2"), undefined);
  assert.equal(byAddr("10.0.0.5"), undefined);
});

test("hostsLookup() gives getaddrinfo's address set with the lines it came from", () => {
  const dual = hostsLookup(lines, "dual")!;
  assert.deepEqual(dual.addresses, [
    { address: "127.0.0.2", family: 4, line: 4 },
    { address: "::2", family: 6, line: 5 },
    { address: "10.0.0.1", family: 4, line: 6 },
  ]);
  assert.equal(dual.canonicalName, "dual");
  assert.deepEqual(dual.lines, [4, 5, 6]);
  assert.deepEqual(
    hostsLookup(lines, "localhost")!.addresses.map((a) => a.address),
    ["127.0.0.1", "::1"],
  );
  assert.deepEqual(hostsLookup(lines, "mapped")!.addresses.map((a) => a.address), [
    "::ffff:10.9.9.9",
  ]);
});

test("hostsLookup() keeps one family when asked and reports none found for the other", () => {
  assert.deepEqual(hostsLookup(lines, "dual", 6)!.addresses.map((a) => a.address), ["::2"]);
  assert.deepEqual(hostsLookup(lines, "other", 6)!.addresses, []);
  assert.equal(hostsLookup(lines, "nosuch"), undefined);
});

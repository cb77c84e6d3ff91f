import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../lib/core/errors.ts";
import { parseHexBytes, pythonBytesLiteral, toHex } from "../../lib/core/hex_bytes.ts";
import { inetAton } from "../../lib/core/inet_aton.ts";
import { aton, inferFamily, ntoa, ntop, pton } from "../../lib/core/inet_convert.ts";
import { inetNtop6 } from "../../lib/core/inet_ntop.ts";
import { inetPton4, inetPton6 } from "../../lib/core/inet_pton.ts";

const hex = (b: Uint8Array | undefined) => (b ? toHex(b) : undefined);

test("inetAton() accepts the shorthand forms CPython accepts", () => {
  assert.equal(hex(inetAton("127.1")), "7f000001");
  assert.equal(hex(inetAton("10.1.2")), "0a010002");
  assert.equal(hex(inetAton("0x7f.1")), "7f000001");
  assert.equal(hex(inetAton("010.0.0.1")), "08000001");
  assert.equal(hex(inetAton("4294967295")), "ffffffff");
  assert.equal(hex(inetAton("1.2.3.4 trailing garbage")), "01020304");
  assert.equal(hex(inetAton("1.2.3.4\vx")), "01020304");
});

test("inetAton() rejects octal 8/9, overflowing parts, leading blanks and non-ASCII blanks", () => {
  for (
    const bad of [
      "08.1",
      "09",
      "0x",
      "1.256.0.0",
      "1.16777216",
      "4294967296",
      " 1",
      "1.2.3.4.",
      "1.2.3.4\u00a0",
      "1..2",
      "",
    ]
  ) {
    assert.equal(inetAton(bad), undefined, bad);
  }
});

test("inetPton4() refuses leading zeros and anything but four octets", () => {
  assert.equal(hex(inetPton4("192.0.2.1")), "c0000201");
  for (const bad of ["01.2.3.4", "1.2.3", "1.2.3.4.", "1.2.3.256", "127.1", "1.2.3.4 "]) {
    assert.equal(inetPton4(bad), undefined, bad);
  }
});

test("inetPton6() handles '::', a dotted tail and refuses a second '::'", () => {
  assert.equal(hex(inetPton6("::1")), "00000000000000000000000000000001");
  assert.equal(hex(inetPton6("::ffff:1.2.3.4")), "00000000000000000000ffff01020304");
  assert.equal(hex(inetPton6("1:2:3:4:5:6:7::")), "00010002000300040005000600070000");
  for (
    const bad of ["1::2::3", ":1", "1:", "12345::", "1:2:3:4:5:6:7:8:9", "fe80::1%lo", "1.2.3.4"]
  ) {
    assert.equal(inetPton6(bad), undefined, bad);
  }
});

test("inetNtop6() compresses the first longest zero run and prints mapped IPv4 dotted", () => {
  const b = (h: string) => parseHexBytes(h);
  assert.equal(inetNtop6(b("20010db8000000000000000000000001")), "2001:db8::1");
  assert.equal(inetNtop6(b("00000000000000000000ffffc0000201")), "::ffff:192.0.2.1");
  assert.equal(inetNtop6(b("000000000000000000000000c0000201")), "::192.0.2.1");
  assert.equal(inetNtop6(b("00000000000000000000000000000102")), "::102");
  assert.equal(inetNtop6(b("00010000000100000000000000000001")), "1:0:1::1");
  assert.equal(inetNtop6(b("00010000000000010000000000000001")), "1:0:0:1::1");
  assert.equal(inetNtop6(b("00010000000000010000000000010001")), "1::1:0:0:1:1");
  assert.equal(inetNtop6(b("00010002000300040005000600070000")), "1:2:3:4:5:6:7:0");
});

test("parseHexBytes() accepts 0x and ':', '-' or space separators", () => {
  for (
    const text of [
      "7f000001",
      "0x7f000001",
      "7F:00:00:01",
      "7f 00 00 01",
      "7f-00-00-01",
      " 7f00 0001 ",
    ]
  ) {
    assert.equal(toHex(parseHexBytes(text)), "7f000001", text);
  }
});

test("parseHexBytes() rejects odd groups, non-hex and empty input with an InputError", () => {
  for (const bad of ["7f:0:0:1", "7g000001", "", "0x", "7f::00", "7f0"]) {
    assert.throws(
      () => parseHexBytes(bad),
      (e: unknown) => e instanceof InputError && e.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
});

test("pythonBytesLiteral() matches CPython's repr quoting and escapes", () => {
  assert.equal(pythonBytesLiteral(Uint8Array.of(0x7f, 0, 0, 1)), "b'\\x7f\\x00\\x00\\x01'");
  assert.equal(pythonBytesLiteral(Uint8Array.of(0x41, 0x27)), `b"A'"`);
  assert.equal(pythonBytesLiteral(Uint8Array.of(0x27, 0x22)), `b'\\'"'`);
  assert.equal(pythonBytesLiteral(Uint8Array.of(0x5c, 9, 10, 13, 0x20)), "b'\\\\\\t\\n\\r '");
});

test("aton() and pton() report hex, bytes literal and the canonical address", () => {
  assert.deepEqual(aton("127.1"), {
    function: "aton",
    family: "inet",
    input: "127.1",
    hex: "7f000001",
    bytes: "b'\\x7f\\x00\\x00\\x01'",
    address: "127.0.0.1",
  });
  const r = pton("2001:DB8:0:0::1");
  assert.equal(r.family, "inet6");
  assert.equal(r.address, "2001:db8::1");
});

test("inferFamily() picks inet6 for text with ':'", () => {
  assert.equal(inferFamily("::1"), "inet6");
  assert.equal(inferFamily("1.2.3.4"), "inet");
});

test("aton(), pton(), ntoa() and ntop() name the bad value in an InputError", () => {
  const cases: [() => unknown, string][] = [
    [() => aton("08.1"), '"08.1"'],
    [() => pton("01.2.3.4"), '"01.2.3.4"'],
    [() => pton("1.2.3.4", "inet6"), '"1.2.3.4"'],
    [() => ntoa("7f0001"), "3 bytes"],
    [() => ntop("7f000001", "inet6"), "16 for inet6"],
    [() => ntop("0102030405"), "4 (inet) or 16 (inet6)"],
  ];
  for (const [fn, text] of cases) {
    assert.throws(fn, (e: unknown) => e instanceof InputError && e.message.includes(text), text);
  }
});

test("ntop() takes the family from the length", () => {
  assert.equal(ntop("7f000001").address, "127.0.0.1");
  assert.equal(ntop("7f000001").family, "inet");
  assert.equal(ntop("fe80:0000:0000:0000:0000:0000:0000:0001").address, "fe80::1");
  assert.equal(ntoa("0xc0:a8:00:01").address, "192.168.0.1");
});

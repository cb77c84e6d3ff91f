import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyByteOrder,
  convertByteOrder,
  hostEndianness,
  parseByteOrderOperand,
  swap16,
  swap32,
} from "../../lib/core/byte_order.ts";
import { InputError } from "../../lib/core/errors.ts";

test("swap16() reverses the two bytes", () => {
  assert.equal(swap16(20000), 8270);
  assert.equal(swap16(0x1234), 0x3412);
  assert.equal(swap16(0xff00), 0x00ff);
});

test("swap32() reverses four bytes and stays unsigned", () => {
  assert.equal(swap32(20000), 541982720);
  assert.equal(swap32(0x000000ff), 0xff000000);
  assert.equal(swap32(0x12345678), 0x78563412);
});

test("applyByteOrder() is the identity on a big-endian host", () => {
  assert.equal(applyByteOrder("htons", 20000, "big"), 20000);
  assert.equal(applyByteOrder("ntohl", 541982720, "big"), 541982720);
});

test("hostEndianness() reads the machine's order (x86 and arm64 are little-endian)", () => {
  assert.equal(hostEndianness(), "little");
});

test("convertByteOrder() reports the host order and hex output", () => {
  const r = convertByteOrder("htonl", [20000], "little");
  assert.equal(r.hostByteOrder, "little");
  assert.deepEqual(r.conversions, [{ input: 20000, output: 541982720, outputHex: "0x204e0000" }]);
});

test("parseByteOrderOperand() accepts decimal and 0x-hex within the width", () => {
  assert.equal(parseByteOrderOperand("htons", "65535"), 65535);
  assert.equal(parseByteOrderOperand("htons", "0x4E20"), 20000);
  assert.equal(parseByteOrderOperand("htonl", "4294967295"), 4294967295);
});

test("parseByteOrderOperand() rejects out-of-range, negative, fractional and non-numeric", () => {
  for (
    const [fn, text] of [
      ["htons", "65536"],
      ["htons", "-1"],
      ["htonl", "4294967296"],
      ["htonl", "1.5"],
      ["ntohs", "1e3"],
      ["ntohs", "ten"],
      ["ntohs", ""],
    ] as const
  ) {
    assert.throws(() => parseByteOrderOperand(fn, text), InputError, `${fn} ${text}`);
  }
});

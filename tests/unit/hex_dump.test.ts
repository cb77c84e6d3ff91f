import { test } from "node:test";
import assert from "node:assert/strict";
import { formatHexDump } from "../../lib/core/hex_dump.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

test("formatHexDump() prints one hexdump -C style line per 16 bytes", () => {
  assert.equal(
    formatHexDump(bytes("HTTP/1.0 200 OK\r\n")),
    "00000000  48 54 54 50 2f 31 2e 30  20 32 30 30 20 4f 4b 0d  |HTTP/1.0 200 OK.|\n" +
      "00000010  0a                                                |.|\n",
  );
});

test("formatHexDump() pads a short line so the ASCII column lines up", () => {
  const line = formatHexDump(bytes("abc"));
  assert.equal(line.indexOf("|"), formatHexDump(bytes("0123456789abcdef")).indexOf("|"));
});

test("formatHexDump() continues the offset of an earlier chunk", () => {
  assert.ok(formatHexDump(bytes("x"), 0x20).startsWith("00000020  78 "));
});

test("formatHexDump() shows non-printable bytes as dots and empty input as nothing", () => {
  assert.match(formatHexDump(Uint8Array.from([0, 0x7f, 0x80, 0xff, 0x41])), /\|\.\.\.\.A\|/);
  assert.equal(formatHexDump(new Uint8Array()), "");
});

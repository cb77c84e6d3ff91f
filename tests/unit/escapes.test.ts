import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeEscapes } from "../../lib/core/escapes.ts";
import { InputError } from "../../lib/core/errors.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test("decodeEscapes() turns \\r\\n into CR LF, as in an HTTP request", () => {
  assert.equal(text(decodeEscapes("GET / HTTP/1.0\\r\\n\\r\\n")), "GET / HTTP/1.0\r\n\r\n");
});

test("decodeEscapes() understands \\t, \\\\ and \\0", () => {
  assert.deepEqual([...decodeEscapes("a\\tb\\\\c\\0")], [0x61, 0x09, 0x62, 0x5c, 0x63, 0x00]);
});

test("decodeEscapes() gives \\xHH as one raw byte, not UTF-8", () => {
  assert.deepEqual([...decodeEscapes("\\xff\\x00\\x7F")], [0xff, 0x00, 0x7f]);
});

test("decodeEscapes() encodes other characters as UTF-8", () => {
  assert.deepEqual([...decodeEscapes("é")], [0xc3, 0xa9]);
  assert.deepEqual([...decodeEscapes("")], []);
});

test("decodeEscapes() rejects an unknown escape, naming it", () => {
  assert.throws(
    () => decodeEscapes("a\\qb"),
    (e: Error) => e instanceof InputError && /"\\\\q"/.test(e.message),
  );
});

test("decodeEscapes() rejects a lone trailing backslash and a short \\x", () => {
  assert.throws(() => decodeEscapes("abc\\"), InputError);
  assert.throws(() => decodeEscapes("\\x4"), InputError);
  assert.throws(() => decodeEscapes("\\xzz"), InputError);
});

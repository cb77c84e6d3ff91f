/** utf8Length() against TextEncoder: the byte limits of names and paths depend on it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { utf8Length } from "../../lib/core/utf8_length.ts";

test("utf8Length() counts what TextEncoder writes, lone surrogates as U+FFFD", () => {
  const samples = [
    "",
    "a",
    "é",
    "€",
    "😀",
    "a😀b",
    "\ud800",
    "\udc00x",
    "\ud800\ud800\udc00",
    "xn--",
  ];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 500; i++) {
    let s = "";
    for (let n = Math.floor(random() * 12); n > 0; n--) {
      const pick = random();
      s += String.fromCharCode(
        pick < 0.4
          ? random() * 0x80
          : pick < 0.6
          ? random() * 0x800
          : pick < 0.8
          ? 0xd800 + random() * 0x800
          : random() * 0x10000,
      );
    }
    samples.push(s);
  }
  for (const s of samples) {
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
  }
});

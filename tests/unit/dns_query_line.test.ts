import { test } from "node:test";
import assert from "node:assert/strict";
import { dnsQuestions, parseQueryLine } from "../../lib/resolve/dns.ts";

test("parseQueryLine() splits a line at any whitespace as trim().split(/\\s+/) does", () => {
  const names = ["n1.test", "a", "example.org."];
  const types = ["A", "MX", "aaaa"];
  const spaces = [" ", "  ", "\t", "\v", "\f", "\r", "\u00a0", "\u2003", "\ufeff"];
  let seed = 5;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < 2000; i++) {
    let line = random(3) === 0 ? spaces[random(spaces.length)] : "";
    line += names[random(names.length)];
    for (let n = random(4); n > 0; n--) {
      line += spaces[random(spaces.length)] + types[random(types.length)];
    }
    if (random(3) === 0) line += spaces[random(spaces.length)];
    const [name, ...asked] = line.trim().split(/\s+/);
    assert.deepEqual(
      parseQueryLine(line, ["AAAA"]),
      dnsQuestions(name, asked.length ? asked : ["AAAA"]),
      JSON.stringify(line),
    );
  }
});

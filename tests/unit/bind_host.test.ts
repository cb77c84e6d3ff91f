import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../lib/core/errors.ts";
import { parseBindHost } from "../../lib/core/bind_host.ts";

test("parseBindHost() keeps IP literals and host names unchanged", () => {
  for (
    const host of [
      "127.0.0.1",
      "0.0.0.0",
      "::",
      "::1",
      "[::1]",
      "fe80::1%eth0",
      "localhost",
      "my-host.example.",
      "xn--n3h.test",
      "under_score.local",
      "a".repeat(63) + ".test",
    ]
  ) {
    assert.equal(parseBindHost(host), host);
  }
});

test("parseBindHost() refuses text no resolver could take, saying why and quoting it", () => {
  const cases: [string, RegExp][] = [
    ["☃.test", /^invalid host "☃\.test": not ASCII \(write an internationalized name in its xn--/],
    ["a b", /^invalid host "a b": contains whitespace or control characters; expected an IP/],
    ["x\x1b[2J", /^invalid host "x\\u001b\[2J": contains whitespace or control characters/],
    ["", /^invalid host "": empty; expected an IP address or a host name/],
    ["a..b", /^invalid host "a\.\.b": empty label/],
    ["a".repeat(64), /a label has 64 characters, at most 63 allowed/],
    [("a".repeat(60) + ".").repeat(5), /304 characters, at most 253 allowed/],
    ["a/b", /^invalid host "a\/b": expected an IP address or a host name of ASCII letters/],
  ];
  for (const [host, message] of cases) {
    assert.throws(() => parseBindHost(host), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match(e.message, message);
      return true;
    });
  }
});

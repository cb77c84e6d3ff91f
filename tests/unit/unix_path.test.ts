import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../lib/core/errors.ts";
import { MAX_UNIX_PATH_BYTES, parseUnixPath } from "../../lib/core/unix_path.ts";

test("parseUnixPath() keeps a path of up to 107 bytes unchanged", () => {
  for (const path of ["/tmp/x.sock", "./rel.sock", "x", "/tmp/" + "é".repeat(51)]) {
    assert.equal(parseUnixPath(path), path);
  }
  assert.equal(parseUnixPath("/" + "a".repeat(MAX_UNIX_PATH_BYTES - 1)).length, 107);
});

test("parseUnixPath() refuses an empty path, a NUL byte and a path past sun_path", () => {
  const cases: [string, RegExp][] = [
    ["", /^invalid Unix socket path "": empty$/],
    ["/tmp/a\0b", /^invalid Unix socket path "\/tmp\/a\\u0000b": contains a NUL byte$/],
    ["/" + "a".repeat(107), /: 108 bytes, at most 107 allowed \(the sun_path limit\)$/],
    ["/tmp/" + "é".repeat(52), /: 109 bytes, at most 107 allowed/],
  ];
  for (const [path, message] of cases) {
    assert.throws(() => parseUnixPath(path), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, message);
      return true;
    });
  }
});

/**
 * `check`'s TARGET: URLs, a bare host (https), a host with a path (https, as curl reads it),
 * host:port (TCP), and Unix sockets written `unix:PATH` or starting with `/` or `.`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCheckTarget } from "../../lib/check/target.ts";
import { InputError } from "../../lib/core/errors.ts";

test("a host with a path is an https URL, as curl reads it", () => {
  assert.equal(parseCheckTarget("example.com/health").url, "https://example.com/health");
  const t = parseCheckTarget("example.com:8443/x?y=1");
  assert.deepEqual([t.scheme, t.port, t.path], ["https", 8443, "/x?y=1"]);
});

test("unix:PATH and paths starting with / or . are Unix sockets", () => {
  for (
    const [text, path] of [
      ["unix:/tmp/a.sock", "/tmp/a.sock"],
      ["/run/app.sock", "/run/app.sock"],
      [
        "./app.sock",
        "./app.sock",
      ],
    ]
  ) {
    const t = parseCheckTarget(text);
    assert.equal(t.socketPath, path, text);
    assert.equal(t.scheme, "tcp");
  }
});

test("a bare host is https on 443; host:port is a TCP check", () => {
  assert.equal(parseCheckTarget("example.com").url, "https://example.com/");
  assert.deepEqual(
    [parseCheckTarget("[::1]:22").host, parseCheckTarget("[::1]:22").scheme],
    ["::1", "tcp"],
  );
});

test("other schemes and bad ports are bad input", () => {
  assert.throws(() => parseCheckTarget("ftp://example.com/"), InputError);
  assert.throws(() => parseCheckTarget("example.com:70000"), InputError);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Endpoint,
  endpointForms,
  endpointWithUnixFlag,
  parseEndpoint,
  serverEndpoint,
} from "../../lib/core/endpoint.ts";
import { InputError } from "../../lib/core/errors.ts";

const CLIENT = { defaultHost: "127.0.0.1" };

test("parseEndpoint() reads every form of the grammar", () => {
  const cases: [string[], Endpoint][] = [
    [["127.0.0.1:8080"], { kind: "ip", host: "127.0.0.1", port: 8080 }],
    [["example.com:80"], { kind: "ip", host: "example.com", port: 80 }],
    [["[::1]:8080"], { kind: "ip", host: "::1", port: 8080 }],
    [["[fe80::1%eth0]:22"], { kind: "ip", host: "fe80::1%eth0", port: 22 }],
    [["localhost", "7"], { kind: "ip", host: "localhost", port: 7 }],
    [["::1", "7"], { kind: "ip", host: "::1", port: 7 }],
    [["[::1]", "7"], { kind: "ip", host: "::1", port: 7 }],
    [["9013"], { kind: "ip", host: "127.0.0.1", port: 9013 }],
    [["/run/app.sock"], { kind: "unix", path: "/run/app.sock" }],
    [["./r.sock"], { kind: "unix", path: "./r.sock" }],
  ];
  for (const [operands, expected] of cases) {
    assert.deepEqual(parseEndpoint(operands, CLIENT), expected, operands.join(" "));
  }
});

test("parseEndpoint() leaves a bare PORT's host to the caller without a default", () => {
  assert.deepEqual(parseEndpoint(["0"], { allowZero: true }), {
    kind: "ip",
    host: undefined,
    port: 0,
  });
});

test("parseEndpoint() refuses port 0 unless the grammar allows it", () => {
  assert.throws(() => parseEndpoint(["0"], CLIENT), InputError);
  assert.throws(() => parseEndpoint(["h:0"], CLIENT), InputError);
  assert.equal((parseEndpoint(["h:0"], { allowZero: true }) as { port: number }).port, 0);
});

test("parseEndpoint() without Unix paths reads a / as a bad host", () => {
  assert.throws(() => parseEndpoint(["a/b:1"], { unix: false }), /: invalid target "a\/b:1"/);
  assert.doesNotMatch(endpointForms({ unix: false }), /Unix/);
});

test("parseEndpoint() refuses bad input with one line naming the operand", () => {
  const cases: [string[], RegExp][] = [
    [[], /^missing target: expected HOST:PORT, \[IPv6\]:PORT, HOST PORT, PORT/],
    [["localhost"], /^invalid target "localhost": no port: expected HOST:PORT/],
    [["[::1]"], /^invalid target "\[::1\]": no port/],
    [["::1:80"], /write an IPv6 address in brackets/],
    [["host:port:x"], /write an IPv6 address in brackets/],
    [["host:99999"], /port/],
    [["host:"], /port/],
    [[":80"], /^invalid target ":80"/],
    [["a b:80"], /^invalid target "a b:80"/],
    [["h", "p"], /port/],
    [["h", "1", "2"], /^unexpected "2"/],
    [["h:1", "2"], /^unexpected "2": "h:1" already names the target$/],
    [["80", "81"], /^unexpected "81": "80" already names the target$/],
    [["/x.sock", "1"], /is a Unix socket path, which takes no port/],
    [["/" + "a".repeat(200)], /sun_path/],
  ];
  for (const [operands, message] of cases) {
    assert.throws(() => parseEndpoint(operands, CLIENT), (e: unknown) => {
      assert.ok(e instanceof InputError, operands.join(" "));
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  }
});

test("parseEndpoint() names the operand as the command calls it", () => {
  assert.throws(() => parseEndpoint([], { what: "address" }), /: missing address:/);
});

test("endpointWithUnixFlag() takes --unix's path, and refuses an operand beside it", () => {
  assert.deepEqual(endpointWithUnixFlag([], "/tmp/a.sock"), { kind: "unix", path: "/tmp/a.sock" });
  assert.deepEqual(endpointWithUnixFlag(["h", "1"], undefined), { kind: "ip", host: "h", port: 1 });
  assert.throws(
    () => endpointWithUnixFlag(["9000"], "/tmp/a.sock", { what: "port" }),
    /: unexpected "9000": --unix takes the socket path instead of PORT$/,
  );
});

test("serverEndpoint() reads a server's PORT, HOST:PORT, path, --port or --unix", () => {
  assert.equal(serverEndpoint([], {}), undefined);
  assert.deepEqual(serverEndpoint(["0"], {}), { kind: "ip", host: undefined, port: 0 });
  assert.deepEqual(serverEndpoint([], { port: 9000 }), { kind: "ip", host: undefined, port: 9000 });
  assert.deepEqual(serverEndpoint(["9000"], { port: 9000 }), {
    kind: "ip",
    host: undefined,
    port: 9000,
  });
  assert.deepEqual(serverEndpoint(["0.0.0.0:80"], {}), { kind: "ip", host: "0.0.0.0", port: 80 });
  assert.deepEqual(serverEndpoint(["::", "80"], {}), { kind: "ip", host: "::", port: 80 });
  assert.deepEqual(serverEndpoint(["./s.sock"], {}), { kind: "unix", path: "./s.sock" });
  assert.deepEqual(serverEndpoint([], { unix: "/x" }), { kind: "unix", path: "/x" });
});

test("serverEndpoint() refuses operands and flags that disagree", () => {
  assert.throws(() => serverEndpoint(["9000"], { port: 9001 }), /"--port" already says where/);
  assert.throws(() => serverEndpoint(["9000"], { unix: "/x" }), /"--unix" already says where/);
  assert.throws(() => serverEndpoint(["./a"], { port: 1 }), /"--port" already says where/);
  assert.throws(() => serverEndpoint([], { port: 1, unix: "/x" }), /"--port" and "--unix"/);
  assert.throws(() => serverEndpoint(["x"], {}), /invalid address "x": no port/);
});

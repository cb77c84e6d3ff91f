import { test } from "node:test";
import assert from "node:assert/strict";
import { isIP } from "node:net";
import { ipVersion, sameEndpoint, unwrapHost } from "../../lib/net/endpoint_text.ts";

test("ipVersion answers as node:net's isIP does, zones included", () => {
  const inputs = [
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "256.1.1.1",
    "1.2.3",
    "01.2.3.4",
    "1.2.3.4 ",
    "::",
    "::1",
    "fe80::1%eth0",
    "fd00::5",
    "::ffff:10.0.0.1",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "[::1]",
    "localhost",
    "example.com",
    "",
    "1::2::3",
  ];
  for (const text of inputs) assert.equal(ipVersion(text), isIP(text), JSON.stringify(text));
});

test("sameEndpoint takes [::1] and ::1 as one address, and compares ports", () => {
  assert.equal(unwrapHost("[::1]"), "::1");
  assert.equal(sameEndpoint({ hostname: "[::1]", port: 53 }, { hostname: "::1", port: 53 }), true);
  assert.equal(sameEndpoint({ hostname: "::1", port: 53 }, { hostname: "::1", port: 54 }), false);
});

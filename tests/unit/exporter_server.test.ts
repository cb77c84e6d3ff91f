/**
 * The exporter server's pure rules: blackbox_exporter's probe timeout (scrape header minus the
 * offset, capped by the module, 120 s without either), `--listen` parsing, and the families a
 * probe answers with (probe_success and probe_duration_seconds added, sorted by name).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { probeFamilies, probeTimeoutSeconds } from "../../lib/exporter/server_probe.ts";
import { parseListen } from "../../lib/cli/commands/exporter/flags.ts";

test("probe timeout: header minus offset, the module's when shorter, 120 s without a header", () => {
  assert.equal(probeTimeoutSeconds(undefined, 0, 0.5), 119.5);
  assert.equal(probeTimeoutSeconds(0, 0, 0.5), 119.5, "a 0 header counts as none");
  assert.equal(probeTimeoutSeconds(10, 5, 0.5), 5);
  assert.equal(probeTimeoutSeconds(10, 0, 0.5), 9.5);
  assert.equal(probeTimeoutSeconds(10, 20, 0.5), 9.5);
  assert.equal(probeTimeoutSeconds(undefined, 30, 0.5), 30);
  assert.equal(probeTimeoutSeconds(0.3, 5, 0.5), 5, "the offset leaves nothing: the module's");
  assert.equal(probeTimeoutSeconds(0.3, 0, 0.5), 0.01, "never below 10 ms");
});

test("--listen: ADDR:PORT, [IPv6]:PORT, :PORT (every interface), PORT (loopback)", () => {
  assert.deepEqual(parseListen("127.0.0.1:9115"), { host: "127.0.0.1", port: 9115 });
  assert.deepEqual(parseListen(":9115"), { host: "0.0.0.0", port: 9115 });
  assert.deepEqual(parseListen("[::1]:0"), { host: "::1", port: 0 });
  assert.deepEqual(parseListen("8080"), { host: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseListen("localhost:80"), { host: "localhost", port: 80 });
  for (const bad of ["::1:80", "127.0.0.1", "a b:80", "127.0.0.1:99999", "[::1]"]) {
    assert.throws(() => parseListen(bad), (e: Error) => e.name === "InputError", bad);
  }
});

test("a probe's families: probe_success and probe_duration_seconds added, sorted by name", () => {
  const families = probeFamilies({
    success: true,
    durationSeconds: 0.1 + 0.2,
    families: [
      { name: "probe_ip_protocol", help: "h", type: "gauge", samples: [{ value: 4 }] },
      { name: "netdiag_x", help: "h", type: "gauge", samples: [{ value: 1 }] },
    ],
  });
  assert.deepEqual(families.map((f) => f.name), [
    "netdiag_x",
    "probe_duration_seconds",
    "probe_ip_protocol",
    "probe_success",
  ]);
  assert.equal(families[1].samples[0].value, 0.3, "whole nanoseconds, no float noise");
  assert.equal(families[3].samples[0].value, 1);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { runNetdiag, targets } from "../support/cli.ts";

const NAMES: [string, string | null][] = [
  ["http", null],
  ["www", "tcp"],
  ["https", "udp"],
  ["domain", "udp"],
  ["ssh", null],
  ["ntp", null],
  ["webcache", "tcp"],
];
const PORTS: [number, string | null][] = [[80, null], [443, "udp"], [53, null], [22, "tcp"]];
const PROTOS = ["tcp", "udp", "icmp", "ipv6-icmp", "IPv6", "hopopt", "mptcp"];

/** CPython's answers for every case, from one python3 run. */
function pythonAnswers() {
  const script = `
import json, socket
names, ports, protos = json.loads(input())
print(json.dumps({
  "byName": [socket.getservbyname(n, p) if p else socket.getservbyname(n) for n, p in names],
  "byPort": [socket.getservbyport(n, p) if p else socket.getservbyport(n) for n, p in ports],
  "proto": [socket.getprotobyname(n) for n in protos],
}))`;
  const r = spawnSync("python3", ["-c", script], {
    input: JSON.stringify([NAMES, PORTS, PROTOS]) + "\n",
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { byName: number[]; byPort: string[]; proto: number[] };
}

const haveFiles = existsSync("/etc/services") && existsSync("/etc/protocols");
const skip = !haveFiles && "no /etc/services here";
const py = haveFiles ? pythonAnswers() : undefined;
const protoArgs = (p: string | null) => (p ? ["--proto", p] : []);

for (const target of targets()) {
  test(`[${target}] service http prints the getent-style line`, { skip }, async () => {
    const r = await runNetdiag(target, ["service", "http"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n")[0], "http 80/tcp www");
  });

  test(`[${target}] service 443 answers https`, { skip }, async () => {
    const r = await runNetdiag(target, ["service", "443"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^https 443\/tcp\n/);
  });

  test(`[${target}] service by name agrees with python3 getservbyname`, { skip }, async () => {
    for (const [i, [name, proto]] of NAMES.entries()) {
      const r = await runNetdiag(target, ["service", name, ...protoArgs(proto), "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.command, "service");
      assert.equal(doc.ok, true);
      assert.equal(doc.summary.source, "/etc/services");
      assert.equal(doc.summary.by, "name");
      assert.equal(doc.results[0].port, py!.byName[i], `${name} ${proto}`);
    }
  });

  test(`[${target}] service by port agrees with python3 getservbyport`, { skip }, async () => {
    for (const [i, [port, proto]] of PORTS.entries()) {
      const r = await runNetdiag(target, ["service", String(port), ...protoArgs(proto)]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split(" ")[0], py!.byPort[i], `${port} ${proto}`);
    }
  });

  test(`[${target}] proto by name agrees with python3 getprotobyname`, { skip }, async () => {
    for (const [i, name] of PROTOS.entries()) {
      const r = await runNetdiag(target, ["proto", name, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.summary.source, "/etc/protocols");
      assert.equal(doc.results[0].number, py!.proto[i], name);
    }
  });

  test(`[${target}] proto 6 prints tcp and proto 0 lists ip first`, { skip }, async () => {
    const r = await runNetdiag(target, ["proto", "6"]);
    assert.equal(r.stdout, "tcp 6 TCP\n");
    const zero = await runNetdiag(target, ["proto", "0"]);
    assert.equal(zero.stdout.split("\n")[0], "ip 0 IP");
  });

  test(`[${target}] an unknown service or protocol exits 1 with one stderr line`, async () => {
    for (
      const args of [["service", "no-such-service"], ["service", "http", "--proto", "sctp"], [
        "proto",
        "no-such-proto",
      ]]
    ) {
      const r = await runNetdiag(target, args);
      assert.equal(r.code, 1, args.join(" "));
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^netdiag: .*not found in /);
    }
  });

  test(`[${target}] an unknown service with --json still prints its document: ok false, exit 1`, async () => {
    for (const [command, query] of [["service", "no-such-service"], ["proto", "no-such-proto"]]) {
      const r = await runNetdiag(target, [command, query, "--json"]);
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(
        { command: doc.command, ok: doc.ok, exitCode: doc.exitCode, results: doc.results },
        { command, ok: false, exitCode: 1, results: [] },
      );
      assert.equal(doc.error.kind, "negative");
      assert.match(doc.error.message, /not found in /);
      assert.match(r.stderr, /^netdiag: .*not found in /);
    }
    const nd = await runNetdiag(target, ["service", "no-such-service", "--ndjson"]);
    assert.equal(nd.code, 2, "service takes no --ndjson");
  });

  test(`[${target}] proto finds protocol numbers past 255, as netbase lists mptcp 262`, {
    skip,
  }, async () => {
    for (const query of ["mptcp", "262"]) {
      const r = await runNetdiag(target, ["proto", query]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "mptcp 262 MPTCP\n");
    }
  });

  test(`[${target}] an out-of-range port or protocol number exits 2`, async () => {
    for (
      const args of [
        ["service", "70000"],
        ["proto", "65536"],
        ["service", "--proto", "t c", "http"],
      ]
    ) {
      const r = await runNetdiag(target, args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, /^netdiag: /);
    }
  });
}

/**
 * The cross-compiled linux-arm64 executable of the release, run under qemu user mode
 * (`qemu-aarch64 -L /usr/aarch64-linux-gnu`, Debian packages qemu-user and libc6-arm64-cross):
 * --version, htons, resolve, probe (one port, and a range split over worker threads, which
 * start the binary's probe_worker entry point). A missing qemu fails, naming the packages.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "../support/paths.ts";
import { ROOT } from "../support/cli.ts";
import { archiveFor, releaseDir, VERSION } from "./release_dir.ts";
import { run, unpackExecutable } from "./run_executable.ts";

const QEMU = "/usr/bin/qemu-aarch64";
const SYSROOT = "/usr/aarch64-linux-gnu";
const BUN_VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).toolchain.bun;

const dir = releaseDir();
const arm = archiveFor("linux-arm64", dir);
const x64 = archiveFor("linux-x64", dir);
const armExe = arm ? unpackExecutable(arm) : undefined;
const x64Exe = x64 ? unpackExecutable(x64) : undefined;

function qemu(args: readonly string[], timeoutMs = 60_000) {
  return run(QEMU, ["-L", SYSROOT, armExe!, ...args], { timeoutMs });
}

/**
 * The 8192-port scan's own loopback address: on 127.0.0.1 it would connect to the servers of
 * tests running beside it.
 */
const SCAN_HOST = "127.0.0.4";

function listen(host = "127.0.0.1"): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, host, () => resolve(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as { port: number }).port;
}

test("the release has linux-arm64 and linux-x64 archives, and qemu can run arm64 here", () => {
  assert.ok(arm, "no linux-arm64 archive");
  assert.ok(x64, "no linux-x64 archive");
  assert.ok(
    existsSync(QEMU) && existsSync(join(SYSROOT, "lib", "ld-linux-aarch64.so.1")),
    `${QEMU} and ${SYSROOT}/lib/ld-linux-aarch64.so.1 are needed: apt-get install qemu-user libc6-arm64-cross`,
  );
});

test("linux-arm64 --version: its version, bun, linux-arm64, and a commit dated at the commit's time", async () => {
  const r = await qemu(["--version", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.version, VERSION);
  assert.equal(info.build, "compiled");
  assert.equal(info.runtime, "bun");
  assert.equal(info.runtimeVersion, BUN_VERSION);
  assert.equal(info.target, "linux-arm64");
  assert.match(info.commit, /^([0-9a-f]{7,}(-dirty)?|unknown)$/);
  assert.match(info.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const git = spawnSync(
    "git",
    ["-C", ROOT, "log", "-1", "--format=%ct", info.commit.split("-")[0]],
    {
      encoding: "utf8",
    },
  );
  if (git.status === 0) {
    const time = new Date(Number(git.stdout.trim()) * 1000).toISOString().replace(".000Z", "Z");
    assert.equal(info.date, time, "the build date is the commit's time");
  }
  const native = await run(x64Exe!, ["--version", "--json"]);
  assert.equal(native.code, 0, native.stderr);
  assert.deepEqual(
    [JSON.parse(native.stdout).target, JSON.parse(native.stdout).version],
    ["linux-x64", VERSION],
  );
  const line = await qemu(["--version"]);
  assert.equal(
    line.stdout,
    `netdiag ${VERSION} (${info.commit}, ${
      info.date.slice(0, 10)
    }) bun ${BUN_VERSION} linux-arm64\n`,
  );
});

test("linux-arm64 htons 20000 prints 8270", async () => {
  const r = await qemu(["htons", "20000"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "8270\n");
});

test("linux-arm64 resolve localhost finds a loopback address", async () => {
  const r = await qemu(["resolve", "localhost", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout).results;
  assert.equal(result.status, "ok");
  const addresses = result.answers.flatMap((a: { addresses: { address: string }[] }) =>
    a.addresses.map((x) => x.address)
  );
  assert.ok(addresses.some((a: string) => a === "127.0.0.1" || a === "::1"), String(addresses));
});

test("linux-arm64 probe finds a local listener open and a stopped one closed", async () => {
  const open = await listen();
  const stopped = await listen();
  const closedPort = portOf(stopped);
  await new Promise((resolve) => stopped.close(resolve));
  try {
    const r = await qemu([
      "probe",
      `127.0.0.1:${portOf(open)}`,
      `127.0.0.1:${closedPort}`,
      "--all",
      "--json",
    ]);
    const states = JSON.parse(r.stdout).results.map((x: { port: number; state: string }) => [
      x.port,
      x.state,
    ]);
    assert.deepEqual(states, [[portOf(open), "open"], [closedPort, "closed"]], r.stderr);
  } finally {
    await new Promise((resolve) => open.close(resolve));
  }
});

test("linux-arm64 probe over two worker threads (the embedded probe_worker entry point)", async () => {
  const server = await listen(SCAN_HOST);
  const port = portOf(server);
  const first = Math.max(1024, Math.min(port - 100, 65535 - 8191));
  try {
    const r = await qemu(
      ["probe", `${SCAN_HOST}:${first}-${first + 8191}`, "--threads", "2", "--json"],
      120_000,
    );
    const report = JSON.parse(r.stdout);
    assert.equal(report.summary.threads, 2, r.stderr);
    assert.equal(report.summary.probes, 8192);
    const open = report.results.filter((x: { state: string }) => x.state === "open");
    assert.ok(open.some((x: { port: number }) => x.port === port), JSON.stringify(open));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

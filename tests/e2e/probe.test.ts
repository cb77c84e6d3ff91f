/**
 * `netdiag probe` end to end on loopback: open, closed and filtered TCP ports, Unix sockets,
 * UDP, ranges, wait mode, the `-- command` form, output formats, bad input and a scan under a
 * small open-file limit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  collect,
  commandLine,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { assertNdjsonMatchesSchema } from "../support/schema.ts";
import { type Listener, netAdapter } from "../../lib/net/mod.ts";
import { closedPort } from "../support/ports.ts";

interface Result {
  port: number | null;
  path: string | null;
  state: string;
  code: string | null;
  service: string | null;
  icmpVisible?: boolean;
  attempts: number;
}

/**
 * Range scans in these tests go to 127.0.0.2, where only their own listeners live: scanning
 * 127.0.0.1 would connect to the servers of tests running in parallel (and end a `--once` one).
 */
const SCAN_HOST = "127.0.0.2";

/** A loopback TCP listener that accepts and drops connections; `close()` stops it. */
async function tcpListener(
  port = 0,
  hostname = "127.0.0.1",
): Promise<{ port: number; close(): void }> {
  const net = await netAdapter();
  const listener = await net.listen({ transport: "tcp", hostname, port });
  drain(listener);
  return { port: (listener.addr as { port: number }).port, close: () => listener.close() };
}

function drain(listener: Listener) {
  (async () => {
    for (;;) (await listener.accept()).close();
  })().catch(() => {});
}

/** A UDP echo on loopback. */
async function udpEcho(): Promise<{ port: number; close(): void }> {
  const net = await netAdapter();
  const socket = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for (;;) {
      const d = await socket.receive();
      await socket.send(d.data.length ? d.data : new TextEncoder().encode("pong"), d.from);
    }
  })().catch(() => {});
  return { port: (socket.addr as { port: number }).port, close: () => socket.close() };
}

async function closedUdpPort(): Promise<number> {
  const net = await netAdapter();
  const socket = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const port = (socket.addr as { port: number }).port;
  socket.close();
  return port;
}

/** A `probe --json` document. */
interface ProbeDocument {
  command: string;
  ok: boolean;
  exitCode: number;
  interrupted?: true;
  summary: Record<string, unknown> & { counts: Record<string, number> };
  results: Result[];
}

async function probeJson(target: Target, args: string[]) {
  const r = await runNetdiag(target, ["probe", ...args, "--json"]);
  assert.ok(r.stdout.startsWith("{"), `no JSON (exit ${r.code}): ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as ProbeDocument;
  assert.equal(doc.exitCode, r.code, "the document's exit code is the process's");
  return { ...r, doc };
}

function expectUsageError(
  r: { code: number | null; stdout: string; stderr: string },
  token: string,
) {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^netdiag: /);
  assert.ok(r.stderr.includes(JSON.stringify(token)), `${r.stderr} does not name ${token}`);
}

for (const target of targets()) {
  test(`[${target}] probe reports a listening port open (exit 0) and a closed one closed (exit 1)`, async () => {
    const open = await tcpListener();
    const closed = await closedPort();
    try {
      const a = await probeJson(target, [`127.0.0.1:${open.port}`]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.doc.results[0].state, "open");
      assert.equal(a.doc.summary.met, true);
      assert.equal(a.doc.ok, true);
      const b = await probeJson(target, [`127.0.0.1:${closed}`]);
      assert.equal(b.code, 1);
      assert.equal(b.doc.results[0].state, "closed");
      assert.equal(b.doc.results[0].code, "ECONNREFUSED");
      assert.deepEqual(b.doc.summary.counts, {
        open: 0,
        closed: 1,
        filtered: 0,
        openFiltered: 0,
        error: 0,
      });
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe prints a human table with state, service and reason`, async () => {
    const open = await tcpListener();
    try {
      const r = await runNetdiag(target, ["probe", `127.0.0.1:${open.port}`]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split("\n");
      assert.match(lines[0], /^ENDPOINT\s+STATE\s+SERVICE\s+LATENCY\s+REASON$/);
      assert.match(
        lines[1],
        new RegExp(`^127\\.0\\.0\\.1:${open.port}\\s+open\\s+\\S+\\s+[0-9.]+ ms\\s+connected$`),
      );
      assert.equal(r.stderr, "");
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe [::1]:port reaches an IPv6 loopback listener`, async () => {
    const net = await netAdapter();
    const listener = await net.listen({ transport: "tcp", hostname: "::1", port: 0 });
    drain(listener);
    const port = (listener.addr as { port: number }).port;
    try {
      const r = await probeJson(target, [`[::1]:${port}`]);
      assert.equal(r.code, 0, r.stderr);
      const res = r.doc.results[0] as Result & { address: string; family: number };
      assert.deepEqual([res.state, res.address, res.family], ["open", "::1", 6]);
    } finally {
      listener.close();
    }
  });

  test(`[${target}] probe localhost tries each address until one is open`, async () => {
    const open = await tcpListener(); // 127.0.0.1 only, whatever localhost resolves to first
    try {
      const r = await probeJson(target, [`localhost:${open.port}`]);
      assert.equal(r.code, 0, r.stderr);
      const res = r.doc.results[0] as Result & { address: string; host: string };
      assert.deepEqual([res.state, res.host, res.address], ["open", "localhost", "127.0.0.1"]);
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe a full-backlog listener is filtered after --timeout`, async () => {
    const filtered = await startFilteredPort();
    try {
      const r = await probeJson(target, [`127.0.0.1:${filtered.port}`, "--timeout", "300ms"]);
      assert.equal(r.code, 1);
      assert.equal(r.doc.results[0].state, "filtered");
      assert.equal(r.doc.results[0].code, "ETIMEDOUT");
    } finally {
      await filtered.close();
    }
  });

  test(`[${target}] probe --retries retries silence but never a refusal`, async () => {
    const filtered = await startFilteredPort();
    const closed = await closedPort();
    try {
      const r = await probeJson(target, [
        `127.0.0.1:${filtered.port},${closed}`,
        "--timeout",
        "200ms",
        "--retries",
        "2",
      ]);
      const byPort = new Map(r.doc.results.map((x) => [x.port, x]));
      assert.equal(byPort.get(filtered.port)!.attempts, 3);
      assert.equal(byPort.get(closed)!.attempts, 1);
    } finally {
      await filtered.close();
    }
  });

  test(`[${target}] probe of a range shows only open ports unless --all`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    const lo = Math.max(1, open.port - 5);
    const range = `${SCAN_HOST}:${lo}-${lo + 10}`;
    try {
      const human = await runNetdiag(target, ["probe", range]);
      const rows = human.stdout.split("\n").filter((l) => l.startsWith(`${SCAN_HOST}:`));
      assert.ok(rows.length >= 1, human.stdout);
      assert.ok(rows.every((l) => /\sopen\s/.test(l)), human.stdout);
      assert.ok(rows.some((l) => l.startsWith(`${SCAN_HOST}:${open.port} `)), human.stdout);
      assert.match(human.stdout, /probed 11 endpoints in .*--all shows them/);
      const all = await runNetdiag(target, ["probe", range, "--all"]);
      assert.equal(all.stdout.split("\n").filter((l) => l.startsWith(`${SCAN_HOST}:`)).length, 11);
      const json = await probeJson(target, [range]);
      assert.equal(json.doc.results.length, 11);
      assert.deepEqual(
        json.doc.results.map((x) => x.port),
        Array.from({ length: 11 }, (_, i) => lo + i),
      );
      assert.equal(json.doc.results.find((x) => x.port === open.port)!.state, "open");
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe -p takes service names from the services table`, async () => {
    const r = await probeJson(target, ["127.0.0.1", "-p", "ssh,http", "--timeout", "300ms"]);
    assert.deepEqual(r.doc.results.map((x) => [x.port, x.service]), [[22, "ssh"], [80, "http"]]);
  });

  test(`[${target}] probe --ndjson prints a line per result, then the summary`, async () => {
    const open = await tcpListener();
    const closed = await closedPort();
    try {
      const r = await runNetdiag(target, ["probe", `127.0.0.1:${open.port},${closed}`, "--ndjson"]);
      const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      assert.equal(lines.length, 3);
      assert.deepEqual(lines.slice(0, 2).map((l) => l.type), ["result", "result"]);
      assert.deepEqual(lines.slice(0, 2).map((l) => l.port).sort(), [open.port, closed].sort());
      assert.deepEqual([lines[2].type, lines[2].command, lines[2].exitCode], [
        "summary",
        "probe",
        1,
      ]);
      assert.equal(lines[2].summary.probes, 2);
      assert.equal(r.code, 1);
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe --any is met by one open port; --until closed by closed ones`, async () => {
    const open = await tcpListener();
    const closed = await closedPort();
    try {
      const any = await runNetdiag(target, ["probe", `127.0.0.1:${open.port},${closed}`, "--any"]);
      assert.equal(any.code, 0, any.stdout);
      const until = await runNetdiag(target, ["probe", `127.0.0.1:${closed}`, "--until", "closed"]);
      assert.equal(until.code, 0, until.stdout);
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe --quiet prints nothing and still sets the exit code`, async () => {
    const closed = await closedPort();
    const r = await runNetdiag(target, ["probe", `127.0.0.1:${closed}`, "--quiet"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "");
  });

  test(`[${target}] probe Unix sockets: open, missing (closed) and not a socket (error)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-probe-"));
    const net = await netAdapter();
    const sock = join(dir, "s.sock");
    const listener = await net.listen({ transport: "unix", path: sock });
    drain(listener);
    const file = join(dir, "plain");
    writeFileSync(file, "x");
    try {
      const open = await probeJson(target, [`unix:${sock}`]);
      assert.equal(open.code, 0, open.stderr);
      assert.equal(open.doc.results[0].state, "open");
      assert.equal(open.doc.results[0].path, sock);
      const missing = await probeJson(target, [`unix:${join(dir, "missing.sock")}`]);
      assert.equal(missing.code, 1);
      assert.deepEqual([missing.doc.results[0].state, missing.doc.results[0].code], [
        "closed",
        "ENOENT",
      ]);
      const notSock = await probeJson(target, [`unix:${file}`]);
      assert.equal(notSock.code, 3);
      assert.deepEqual([notSock.doc.results[0].state, notSock.doc.results[0].code], [
        "error",
        "ENOTSOCK",
      ]);
    } finally {
      listener.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] probe --udp: an echo is open, a closed port is closed or says ICMP is invisible`, async () => {
    const echo = await udpEcho();
    const closed = await closedUdpPort();
    try {
      const open = await probeJson(target, ["--udp", `127.0.0.1:${echo.port}`, "--payload", "hi"]);
      assert.equal(open.code, 0, open.stderr);
      assert.equal(open.doc.results[0].state, "open");
      assert.equal((open.doc.results[0] as { replyBytes?: number }).replyBytes, 2);
      const shut = await probeJson(target, ["--udp", `127.0.0.1:${closed}`, "--timeout", "300ms"]);
      assert.equal(shut.code, 1);
      const r = shut.doc.results[0];
      assert.equal(typeof r.icmpVisible, "boolean");
      // Bun sees the ICMP port-unreachable; Deno cannot and must not guess.
      if (r.icmpVisible) assert.deepEqual([r.state, r.code], ["closed", "ECONNREFUSED"]);
      else assert.deepEqual([r.state, r.code], ["open|filtered", "ETIMEDOUT"]);
      if (target === "binary") assert.equal(r.icmpVisible, true);
      if (target === "deno") assert.equal(r.icmpVisible, false);
    } finally {
      echo.close();
    }
  });

  test(`[${target}] probe --wait succeeds when a listener starts late`, async () => {
    // One probe at a time, the late port first: once the marker port sees its connection, the
    // late port's first probe has been refused, so the listener that starts then is found by a
    // later round, however slowly netdiag starts.
    const port = await closedPort();
    const net = await netAdapter();
    const marker = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    let late: { close(): void } | undefined;
    const starting = marker.accept().then(async (conn) => {
      conn.close();
      drain(marker);
      late = await tcpListener(port);
    });
    try {
      const r = await probeJson(target, [
        `127.0.0.1:${port}`,
        `127.0.0.1:${(marker.addr as { port: number }).port}`,
        "--concurrency",
        "1",
        "--wait",
        "20s",
        "--interval",
        "100ms",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const wait = r.doc.summary.wait as { rounds: number };
      assert.ok(wait.rounds >= 2, `rounds ${wait.rounds}`);
      assert.deepEqual(r.doc.results.map((x) => x.state), ["open", "open"]);
      await starting;
    } finally {
      marker.close();
      late?.close();
    }
  });

  test(`[${target}] probe --wait exits 1 at the deadline when nothing ever listens`, async () => {
    const port = await closedPort();
    const r = await probeJson(target, [
      `127.0.0.1:${port}`,
      "--wait",
      "800ms",
      "--interval",
      "100ms",
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.doc.summary.met, false);
    assert.equal(r.doc.results[0].state, "closed");
    assert.ok((r.doc.summary.wait as { rounds: number }).rounds >= 2);
  });

  test(`[${target}] probe … -- command runs it after success and exits with its status`, async () => {
    const open = await tcpListener();
    try {
      const r = await runNetdiag(target, [
        "probe",
        `127.0.0.1:${open.port}`,
        "--wait",
        "5s",
        "--quiet",
        "--",
        "sh",
        "-c",
        "echo ran $0; exit 7",
        "arg",
      ]);
      assert.equal(r.code, 7, r.stderr);
      assert.equal(r.stdout, "ran arg\n");
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe … -- command does not run when the condition fails`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-probe-"));
    const marker = join(dir, "ran");
    const port = await closedPort();
    try {
      const r = await runNetdiag(target, [
        "probe",
        `127.0.0.1:${port}`,
        "--wait",
        "300ms",
        "--",
        "touch",
        marker,
      ]);
      assert.equal(r.code, 1);
      assert.equal(existsSync(marker), false);
      assert.match(r.stderr, /not running "touch"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] probe exits 3 when a host cannot be resolved`, async () => {
    const r = await runNetdiag(target, ["probe", "nonexistent.invalid:80"]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^netdiag: cannot resolve "nonexistent\.invalid"/);
    assert.equal(r.stdout, "");
  });

  test(`[${target}] probe --json of a host that cannot be resolved prints its error document`, async () => {
    const r = await runNetdiag(target, ["probe", "nosuch.invalid:80", "--json"]);
    assert.equal(r.code, 3);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual([doc.command, doc.ok, doc.exitCode, doc.error.kind], [
      "probe",
      false,
      3,
      "failure",
    ]);
    assert.match(doc.error.message, /^cannot resolve "nosuch\.invalid"/);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });

  const bad: [string[], string][] = [
    [["127.0.0.1:0"], "0"],
    [["127.0.0.1:65536"], "65536"],
    [["127.0.0.1:100-10"], "100-10"],
    [["127.0.0.1", "-p", "nosuchservice"], "nosuchservice"],
    [["127.0.0.1", "-p", ""], ""],
    [["10.0.0.0/8:80"], "10.0.0.0/8"],
    [["[::1"], "[::1"],
    [["127.0.0.1"], "127.0.0.1"],
    [["unix:/x", "--udp"], "unix:/x"],
  ];
  for (const [args, token] of bad) {
    test(`[${target}] probe ${args.join(" ")} is bad input naming ${JSON.stringify(token)}`, async () => {
      expectUsageError(await runNetdiag(target, ["probe", ...args]), token);
    });
  }

  test(`[${target}] probe --threads 2 splits a scan yet reports every port once, in order`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    const lo = Math.max(1, Math.min(open.port - 2500, 65535 - 5000));
    try {
      const { doc } = await probeJson(target, [
        `${SCAN_HOST}:${lo}-${lo + 4999}`,
        "--threads",
        "2",
      ]);
      // The binary needs lib/probe/worker.ts as an entry point of `bun build --compile`.
      assert.equal(doc.summary.threads, 2, "a second thread ran");
      assert.deepEqual(
        doc.results.map((r) => r.port),
        Array.from({ length: 5000 }, (_, i) => lo + i),
      );
      assert.equal(doc.results.find((r) => r.port === open.port)?.state, "open");
      const counts = doc.summary.counts;
      assert.equal(counts.error + counts.filtered, 0, JSON.stringify(counts));
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe --threads stays at one thread for --wait, --rate and small plans`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    try {
      for (const extra of [["--wait", "5s"], ["--rate", "100000"], []]) {
        const range = extra.length
          ? `${open.port}-${Math.min(65535, open.port + 4999)}`
          : `${open.port}`;
        const { doc } = await probeJson(target, [
          `${SCAN_HOST}:${range}`,
          "--threads",
          "2",
          "--any",
          ...extra,
        ]);
        assert.equal(doc.summary.threads, 1, extra.join(" "));
      }
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe stopped by SIGINT mid-scan prints what it found, interrupted, exit 130`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    const lo = Math.max(1, Math.min(open.port - 100, 65535 - 60_000));
    const child = spawnNetdiag(target, [
      "probe",
      `${SCAN_HOST}:${lo}-${lo + 59_999}`,
      "--threads",
      "2",
      "--concurrency",
      "8",
      "--timeout",
      "300ms",
      "--ndjson",
    ]);
    const done = collect(child, { timeoutMs: 60_000 });
    try {
      // Signalled once it is probing (its handler is in place by then).
      await waitForLine(child.stdout!, (l) => l.startsWith('{"type":"result"') || undefined);
      // (node:child_process's kill() under Deno does not deliver a catchable SIGINT.)
      process.kill(child.pid!, "SIGINT");
      const r = await done;
      assert.equal(r.code, 130, r.stderr);
      assertNdjsonMatchesSchema("probe", r.stdout);
      const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      const last = lines.pop();
      assert.deepEqual([last.type, last.ok, last.exitCode, last.interrupted], [
        "summary",
        false,
        130,
        true,
      ]);
      assert.ok(last.summary.probes < 60_000, `probes ${last.summary.probes}`);
      assert.equal(lines.length, last.summary.probes, "a result line per endpoint probed");
      assert.ok(lines.every((l) => l.type === "result"));
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await done;
      open.close();
    }
  });

  test(`[${target}] a 5,000-port scan under ulimit -n 64 completes without losses`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    const lo = Math.max(1, Math.min(open.port - 2500, 65535 - 5000));
    const [cmd, argv] = commandLine(target, [
      "probe",
      `${SCAN_HOST}:${lo}-${lo + 4999}`,
      "--concurrency",
      "1000",
      "--ndjson",
    ]);
    const child = spawn("sh", ["-c", 'ulimit -n 64 && exec "$@"', "sh", cmd, ...argv], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    try {
      const r = await collect(child, { timeoutMs: 60_000 });
      const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      const last = lines.pop();
      assert.equal(last.type, "summary", r.stderr);
      const summary = last.summary;
      assert.equal(summary.probes, 5000);
      assert.ok(summary.concurrency <= 64, `window ${summary.concurrency}`);
      assert.equal(summary.counts.error, 0, JSON.stringify(summary.counts));
      assert.equal(summary.counts.filtered, 0, JSON.stringify(summary.counts));
      assert.equal(lines.find((l) => l.port === open.port)?.state, "open");
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe --open keeps only open results in every format, the summary counts all`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    const lo = Math.max(1, Math.min(open.port - 10, 65535 - 20));
    const range = `${SCAN_HOST}:${lo}-${lo + 20}`;
    try {
      const json = await probeJson(target, [range, "--open"]);
      assert.deepEqual(json.doc.results.map((r) => [r.port, r.state]), [[open.port, "open"]]);
      assert.equal(json.doc.summary.probes, 21);
      assert.equal(json.doc.summary.counts.open, 1);
      assert.equal(json.doc.summary.counts.closed, 20);
      const nd = await runNetdiag(target, ["probe", range, "--open", "--ndjson"]);
      assertNdjsonMatchesSchema("probe", nd.stdout);
      const lines = nd.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(lines.filter((l) => l.type === "result").map((l) => l.port), [open.port]);
      assert.equal(lines.at(-1).summary.probes, 21);
      // A single closed endpoint: no row, but the summary line says what was probed.
      const closed = await closedPort();
      const human = await runNetdiag(target, ["probe", `127.0.0.1:${closed}`, "--open"]);
      assert.equal(human.code, 1, human.stderr);
      assert.doesNotMatch(human.stdout, /ENDPOINT/);
      assert.match(human.stdout, /^probed 1 endpoint in .*: 1 closed \(1 not open not shown\)\n$/);
    } finally {
      open.close();
    }
  });

  test(`[${target}] probe --any exits 0 when one endpoint of a scan is open, 1 when none is`, async () => {
    const open = await tcpListener(0, SCAN_HOST);
    const lo = Math.max(1, Math.min(open.port - 10, 65535 - 20));
    const range = `${SCAN_HOST}:${lo}-${lo + 20}`;
    try {
      const every = await runNetdiag(target, ["probe", range, "--open", "--quiet"]);
      assert.equal(every.code, 1, "default: every endpoint must be open");
      const any = await probeJson(target, [range, "--open", "--any"]);
      assert.equal(any.code, 0, any.stderr);
      assert.equal(any.doc.summary.match, "any");
      assert.equal(any.doc.summary.met, true);
    } finally {
      open.close();
    }
    // Nothing listens there any more: none open, so --any fails too.
    const none = await runNetdiag(target, ["probe", range, "--open", "--any", "--quiet"]);
    assert.equal(none.code, 1, none.stderr);
  });

  test(`[${target}] probe --open with --all is a usage error naming both`, async () => {
    const r = await runNetdiag(target, ["probe", "127.0.0.1:1-10", "--open", "--all"]);
    expectUsageError(r, "--open");
    assert.match(r.stderr, /"--all"/);
  });
}

/**
 * `netdiag echo serve` and `netdiag echo test` as a user runs them, on every target, including
 * interop with socat and ncat (Debian) in both directions.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import process from "node:process";
import { join } from "node:path";
import { decodeFrames, encodeFrame, encodeFrameHead } from "../../lib/core/framing.ts";
import { netAdapter } from "../../lib/net/mod.ts";
import {
  collect,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { readAll } from "../support/conn.ts";
import { freePort } from "../support/ports.ts";

/** Whether `text` holds ESC, BEL or a bidi override raw (as a terminal would act on them). */
function rawControls(text: string): boolean {
  return ["\x1b", "\x07", "\u202e"].some((c) => text.includes(c));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Listening {
  tcp?: number;
  udp?: number;
  unix?: string;
}

/** Starts `echo serve` with --ndjson and waits until every socket it binds is reported. */
async function startServe(
  target: Target,
  args: string[],
  expect: (keyof Listening)[],
): Promise<{ child: ChildProcess; at: Listening }> {
  const child = spawnNetdiag(target, ["echo", "serve", "--ndjson", ...args]);
  const at: Listening = {};
  try {
    await waitForLine(child.stdout!, (line) => {
      if (!line.startsWith("{")) return undefined;
      const r = JSON.parse(line);
      if (r.type === "listening") {
        if (r.transport === "unix") at.unix = r.path;
        else at[r.transport as "tcp" | "udp"] = r.port;
      }
      return expect.every((k) => at[k] !== undefined) ? true : undefined;
    });
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { child, at };
}

/** Stops a server with SIGTERM and returns its output after that point. */
async function stopServe(child: ChildProcess) {
  const done = collect(child, { timeoutMs: 15_000 });
  // process.kill, not child.kill: Deno's child.kill reports the signal even when the child
  // handles it and exits 0.
  process.kill(child.pid!, "SIGTERM");
  return await done;
}

/** Sends `data` over TCP or Unix, half-closes, and returns everything echoed. */
async function exchange(
  to: { transport: "tcp"; port: number } | { transport: "unix"; path: string },
  data: Uint8Array,
): Promise<Uint8Array> {
  const adapter = await netAdapter();
  const conn = await adapter.connect(
    to.transport === "tcp" ? { transport: "tcp", hostname: "127.0.0.1", port: to.port } : to,
  );
  try {
    await conn.write(data);
    await conn.closeWrite();
    return await readAll(conn);
  } finally {
    conn.close();
  }
}

async function exchangeUdp(port: number, data: Uint8Array): Promise<Uint8Array> {
  const adapter = await netAdapter();
  const socket = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  try {
    await socket.send(data, { hostname: "127.0.0.1", port });
    return (await socket.receive(AbortSignal.timeout(5000))).data;
  } finally {
    socket.close();
  }
}

/** Waits for a TCP port to accept connections (socat and ncat start asynchronously). */
async function waitForPort(port: number): Promise<void> {
  const adapter = await netAdapter();
  for (let i = 0; i < 100; i++) {
    try {
      (await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port, timeoutMs: 500 }))
        .close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing listening on ${port}`);
}

/** Starts socat or ncat in its own process group (ncat -u forks a child per peer). */
function spawnPeer(cmd: string, args: string[]): ChildProcess {
  return spawn(cmd, args, { detached: true, stdio: "ignore" });
}

/** Kills a peer's whole process group, forked children included. */
function stopPeer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const done = child.exitCode !== null || child.signalCode !== null;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch { /* already gone */ }
    if (done) return resolve();
    child.once("exit", () => resolve());
  });
}

const hasTool = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;

for (const target of targets()) {
  test(`[${target}] echo serve on TCP, UDP and Unix; echo test verifies each; SIGTERM prints totals`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-echo-"));
    const sock = join(dir, "echo.sock");
    const { child, at } = await startServe(
      target,
      ["--tcp", "0", "--udp", "0", "--unix", sock],
      ["tcp", "udp", "unix"],
    );
    try {
      const tcp = await runNetdiag(target, [
        "echo",
        "test",
        `127.0.0.1:${at.tcp}`,
        "--count",
        "50",
        "--connections",
        "3",
        "--json",
      ]);
      assert.equal(tcp.code, 0, tcp.stderr);
      const doc = JSON.parse(tcp.stdout);
      assert.equal(doc.command, "echo test");
      assert.equal(doc.results.length, 3, "one result per connection");
      const t = doc.summary;
      assert.equal(t.messagesVerified, 150);
      assert.equal(t.rtt.samples, 150);
      for (const k of ["minMs", "meanMs", "p50Ms", "p90Ms", "p99Ms", "maxMs", "stddevMs"]) {
        assert.equal(typeof t.rtt[k], "number", k);
      }
      const udp = await runNetdiag(target, [
        "echo",
        "test",
        String(at.udp),
        "--udp",
        "--count",
        "50",
        "--json",
      ]);
      assert.equal(udp.code, 0, udp.stderr);
      const u = JSON.parse(udp.stdout).summary;
      assert.equal(u.messagesVerified, 50);
      assert.deepEqual(u.udp, { lost: 0, lossPercent: 0, duplicates: 0, reordered: 0 });
      const unix = await runNetdiag(target, ["echo", "test", "--unix", sock, "--count", "20"]);
      assert.equal(unix.code, 0, unix.stderr);
      assert.match(unix.stdout, /20 sent, 20 verified/);
      assert.match(unix.stdout, /rtt ms +min [0-9.]+ +mean/);
      const stream = await runNetdiag(target, [
        "echo",
        "test",
        String(at.tcp),
        "--stream",
        "--total",
        "4M",
        "--json",
      ]);
      assert.equal(stream.code, 0, stream.stderr);
      assert.equal(JSON.parse(stream.stdout).summary.bytesVerified, 4 * 1024 * 1024);
    } finally {
      const r = await stopServe(child);
      rmSync(dir, { recursive: true, force: true });
      assert.equal(r.code, 0, r.stderr);
      const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
      assert.equal(last.type, "summary");
      assert.equal(last.command, "echo serve");
      assert.equal(last.exitCode, 0);
      assert.equal(last.summary.connections, 3 + 1 + 1);
      assert.equal(last.summary.datagrams, 50);
      const sessions = r.stderr.trim().split("\n").map((l) => JSON.parse(l));
      assert.ok(sessions.some((s) => s.transport === "unix" && s.end === "closed"));
      assert.ok(sessions.some((s) => s.transport === "udp" && s.bytesIn === 50 * 64));
    }
  });

  const expected: Record<string, (s: string) => RegExp> = {
    echo: (s) => new RegExp(`^${s}$`),
    upper: (s) => new RegExp(`^${s.toUpperCase()}$`),
    stamp: (s) =>
      new RegExp(
        `^\\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}\\] ${s}$`,
      ),
    prefix: (s) => new RegExp(`^OK\\.\\.\\.${s}$`),
  };
  for (const mode of Object.keys(expected)) {
    test(`[${target}] echo serve --mode ${mode} answers over TCP, UDP and Unix, plain and framed`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "netdiag-echo-"));
      const sock = join(dir, "m.sock");
      for (const framed of [false, true]) {
        const { child, at } = await startServe(
          target,
          ["0", "--unix", sock, "--mode", mode, ...(framed ? ["--framed"] : [])],
          ["tcp", "udp", "unix"],
        );
        try {
          assert.equal(at.udp, at.tcp, "PORT means TCP and UDP on the same port");
          const text = "hello world";
          const payload = framed ? encodeFrame({ id: "x" }, enc.encode(text)) : enc.encode(text);
          const answer = (bytes: Uint8Array) => {
            if (!framed) return dec.decode(bytes);
            const frames = decodeFrames(bytes);
            assert.equal(frames.length, 1);
            assert.equal(frames[0].header.id, "x");
            return dec.decode(frames[0].body);
          };
          assert.match(
            answer(await exchange({ transport: "tcp", port: at.tcp! }, payload)),
            expected[mode](text),
          );
          assert.match(
            answer(await exchange({ transport: "unix", path: sock }, payload)),
            expected[mode](text),
          );
          assert.match(answer(await exchangeUdp(at.udp!, payload)), expected[mode](text));
        } finally {
          const r = await stopServe(child);
          assert.equal(r.code, 0, r.stderr);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    });
  }

  test(`[${target}] echo test --framed against echo serve --framed over TCP, UDP and Unix`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-echo-"));
    const sock = join(dir, "f.sock");
    const { child, at } = await startServe(
      target,
      ["0", "--unix", sock, "--framed"],
      ["tcp", "udp", "unix"],
    );
    try {
      for (const args of [[String(at.tcp)], [String(at.udp), "--udp"], ["--unix", sock]]) {
        const r = await runNetdiag(target, [
          "echo",
          "test",
          ...args,
          "--framed",
          "--count",
          "30",
          "--size",
          "1k",
        ]);
        assert.equal(r.code, 0, `${args}: ${r.stderr}`);
        assert.match(r.stdout, /30 sent, 30 verified/);
      }
    } finally {
      await stopServe(child);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] echo serve closes idle clients and refuses oversized frames, serving on`, async () => {
    const { child, at } = await startServe(
      target,
      ["--tcp", "0", "--framed", "--max-frame", "100", "--idle-timeout", "300ms"],
      ["tcp"],
    );
    try {
      const big = encodeFrameHead({}, 101);
      const frames = decodeFrames(await exchange({ transport: "tcp", port: at.tcp! }, big));
      assert.match(String(frames[0].header.error), /frame body too large: 101 bytes, limit 100/);
      const adapter = await netAdapter();
      const idle = await adapter.connect({
        transport: "tcp",
        hostname: "127.0.0.1",
        port: at.tcp!,
      });
      assert.equal((await readAll(idle, 10_000)).length, 0); // closed by the server
      idle.close();
      const r = await runNetdiag(target, [
        "echo",
        "test",
        String(at.tcp),
        "--framed",
        "--count",
        "5",
        "--size",
        "100",
      ]);
      assert.equal(r.code, 0, r.stderr);
    } finally {
      const r = await stopServe(child);
      const ends = r.stderr.trim().split("\n").map((l) => JSON.parse(l).end);
      assert.ok(ends.includes("protocol-error"), r.stderr);
      assert.ok(ends.includes("idle-timeout"), r.stderr);
    }
  });

  test(`[${target}] echo serve --max-conns turns the excess away with a message`, async () => {
    const { child, at } = await startServe(target, ["--tcp", "0", "--max-conns", "1"], ["tcp"]);
    const adapter = await netAdapter();
    const first = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: at.tcp! });
    try {
      await first.write(enc.encode("a"));
      const one = new Uint8Array(1);
      assert.equal(await first.read(one), 1);
      const second = await exchange({ transport: "tcp", port: at.tcp! }, enc.encode("b"));
      assert.match(dec.decode(second), /too many connections \(limit 1\)/);
    } finally {
      first.close();
      const r = await stopServe(child);
      assert.equal(JSON.parse(r.stdout.trim().split("\n").at(-1)!).summary.rejected, 1);
    }
  });

  test(`[${target}] echo test names a refusal over --max-conns, not a mismatch`, async () => {
    const { child, at } = await startServe(target, ["--tcp", "0", "--max-conns", "1"], ["tcp"]);
    const adapter = await netAdapter();
    const first = await adapter.connect({ transport: "tcp", hostname: "127.0.0.1", port: at.tcp! });
    try {
      await first.write(enc.encode("a"));
      assert.equal(await first.read(new Uint8Array(1)), 1);
      for (const mode of [["--count", "1"], ["--stream", "--total", "64k"]]) {
        const r = await runNetdiag(target, ["echo", "test", String(at.tcp), ...mode]);
        assert.equal(r.code, 3, r.stderr);
        assert.match(
          r.stderr,
          /server refused connection 1: too many connections \(limit 1\), try again later/,
        );
        assert.doesNotMatch(r.stderr, /mismatch/);
      }
    } finally {
      first.close();
      await stopServe(child);
    }
  });

  test(`[${target}] echo serve --once serves one client, prints totals and exits 0`, async () => {
    const { child, at } = await startServe(target, ["--tcp", "0", "--once"], ["tcp"]);
    const done = collect(child, { timeoutMs: 15_000 });
    const reply = await exchange({ transport: "tcp", port: at.tcp! }, enc.encode("only once"));
    assert.equal(dec.decode(reply), "only once");
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\{"type":"summary","command":"echo serve","ok":true,"exitCode":0,"summary":\{"connections":1,/,
    );
  });

  test(`[${target}] echo serve prints human lines: listening, one per connection, totals`, async () => {
    const child = spawnNetdiag(target, ["echo", "serve", "--tcp", "0"]);
    const port = await waitForLine(
      child.stdout!,
      (l) => /^listening tcp 127\.0\.0\.1:(\d+)$/.exec(l)?.[1],
    );
    await exchange({ transport: "tcp", port: Number(port) }, enc.encode("abc"));
    const r = await stopServe(child);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^totals: 1 connection \(peak 1, 0 rejected\); 0 datagrams from 0 UDP peers; 3 B in, 3 B out; up /m,
    );
    assert.match(
      r.stderr,
      /^tcp 127\.0\.0\.1:\d+ closed; 3 B in, 3 B out, 1 message, [0-9.]+ m?s$/m,
    );
  });

  test(`[${target}] echo test exits 1 naming the message and offset when the echo differs`, async () => {
    const { child, at } = await startServe(target, ["--tcp", "0", "--mode", "prefix"], ["tcp"]);
    try {
      const r = await runNetdiag(target, ["echo", "test", String(at.tcp), "--count", "3"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stdout,
        /MISMATCH: connection 1, message 1: first difference at byte offset [0-4]\b/,
      );
      assert.match(
        r.stderr,
        /^netdiag: echo mismatch: connection 1, message 1, first difference at byte offset [0-4]$/m,
      );
      const j = await runNetdiag(target, [
        "echo",
        "test",
        String(at.tcp),
        "--count",
        "3",
        "--json",
      ]);
      assert.equal(j.code, 1);
      // The reply is "OK..." + the random payload: the first difference lies inside the prefix,
      // at 0 unless the payload happens to begin with the prefix's first byte(s).
      const doc = JSON.parse(j.stdout);
      assert.equal(doc.ok, false);
      assert.equal(doc.exitCode, 1);
      const mismatch = doc.summary.mismatch;
      assert.ok(mismatch.offset >= 0 && mismatch.offset < 5, `offset ${mismatch.offset}`);
      assert.equal(mismatch.actual, "OK...".charCodeAt(mismatch.offset));
      assert.deepEqual(
        { ...mismatch, offset: 0, expected: 0, actual: 0 },
        { connection: 1, message: 1, offset: 0, expected: 0, actual: 0 },
      );
    } finally {
      await stopServe(child);
    }
  });

  test(`[${target}] echo test: refused exits 1, bad flags exit 2, each with one line`, async () => {
    const port = await freePort();
    const refused = await runNetdiag(target, ["echo", "test", String(port)]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /^netdiag: cannot connect to "127\.0\.0\.1:\d+": refused\n$/);
    const small = await runNetdiag(target, ["echo", "test", "7", "--udp", "--size", "4"]);
    assert.equal(small.code, 2);
    assert.match(small.stderr, /at least 8/);
    const both = await runNetdiag(target, ["echo", "test", "7", "--stream", "--udp"]);
    assert.equal(both.code, 2);
    const badTarget = await runNetdiag(target, ["echo", "test", "host:port:x"]);
    assert.equal(badTarget.code, 2);
    assert.match(badTarget.stderr, /invalid target "host:port:x"/);
    const conflict = await runNetdiag(target, ["echo", "serve", "7", "--tcp", "8"]);
    assert.equal(conflict.code, 2);
  });

  test(`[${target}] echo serve and echo test refuse the flag pairs their help declares, exit 2`, async () => {
    const cases: [string[], RegExp][] = [
      [
        ["echo", "test", "7", "--stream", "--framed"],
        /"--stream" and "--framed": --stream is plain/,
      ],
      [["echo", "test", "7", "--stream", "--interval", "1s"], /"--stream" and "--interval"/],
      [["echo", "test", "--unix", "/tmp/x.sock", "--udp"], /"--unix" and "--udp": choose one/],
      [["echo", "test", "7", "--json", "--ndjson"], /"--json" and "--ndjson": choose one/],
      [["echo", "serve", "--port", "7", "--udp", "8"], /"--port" and "--udp"/],
      [["echo", "serve", "--json", "--ndjson"], /"--json" and "--ndjson": choose one/],
    ];
    for (const [args, message] of cases) {
      const r = await runNetdiag(target, args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    const help = await runNetdiag(target, ["echo", "test", "--help"]);
    assert.match(
      help.stdout,
      /Flags that exclude each other: --json \/ --ndjson; --unix \/ --udp;/,
    );
  });

  test(`[${target}] echo test stopped by SIGINT still reports, marked interrupted, exit 130`, async () => {
    const { child: server, at } = await startServe(target, ["--tcp", "0"], ["tcp"]);
    try {
      const child = spawnNetdiag(target, [
        "echo",
        "test",
        String(at.tcp),
        "--duration",
        "30s",
        "--interval",
        "5ms",
        "--json",
      ]);
      const done = collect(child, { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 1500));
      process.kill(child.pid!, "SIGINT");
      const r = await done;
      assert.equal(r.code, 130, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.interrupted, true);
      assert.equal(doc.ok, false);
      assert.ok(doc.summary.messagesVerified > 0, r.stdout);
      assert.equal("interrupted" in doc.summary, false);
    } finally {
      await stopServe(server);
    }
  });

  test(`[${target}] echo serve --json prints the listening lines on stderr, the document at the end`, async () => {
    const child = spawnNetdiag(target, ["echo", "serve", "--tcp", "0", "--json", "--quiet"]);
    const port = await waitForLine(
      child.stderr!,
      (l) => /^listening tcp 127\.0\.0\.1:(\d+)$/.exec(l)?.[1],
    );
    await exchange({ transport: "tcp", port: Number(port) }, enc.encode("abc"));
    const r = await stopServe(child);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.command, "echo serve");
    assert.deepEqual(doc.results, [
      { transport: "tcp", address: "127.0.0.1", port: Number(port), family: 4 },
    ]);
    assert.equal(doc.summary.bytesIn, 3);
    assert.equal(r.stderr, "", "--quiet: no connection lines");
  });

  test(`[${target}] echo test works against socat and ncat echo servers (RFC 862)`, {
    skip: !hasTool("socat") || !hasTool("ncat"),
  }, async () => {
    const peers: ChildProcess[] = [];
    try {
      const [s, sUdp, n, nUdp] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      peers.push(spawnPeer("socat", [`TCP-LISTEN:${s},bind=127.0.0.1,fork,reuseaddr`, "EXEC:cat"]));
      peers.push(spawnPeer("socat", [`UDP-RECVFROM:${sUdp},bind=127.0.0.1,fork`, "EXEC:cat"]));
      peers.push(spawnPeer("ncat", ["-l", "-k", "--exec", "/bin/cat", "127.0.0.1", String(n)]));
      peers.push(
        spawnPeer("ncat", ["-u", "-l", "-k", "--exec", "/bin/cat", "127.0.0.1", String(nUdp)]),
      );
      await waitForPort(s);
      await waitForPort(n);
      await new Promise((r) => setTimeout(r, 200)); // the UDP peers bind as quickly
      for (const port of [s, n]) {
        const r = await runNetdiag(target, [
          "echo",
          "test",
          String(port),
          "--count",
          "40",
          "--connections",
          "2",
        ]);
        assert.equal(r.code, 0, `${port}: ${r.stderr}`);
        assert.match(r.stdout, /80 sent, 80 verified/);
      }
      // socat relays full duplex; ncat --exec cannot (it blocks writing to cat), so bulk only here.
      const bulk = await runNetdiag(target, [
        "echo",
        "test",
        String(s),
        "--stream",
        "--total",
        "2M",
      ]);
      assert.equal(bulk.code, 0, bulk.stderr);
      for (const port of [sUdp, nUdp]) {
        const r = await runNetdiag(target, [
          "echo",
          "test",
          String(port),
          "--udp",
          "--count",
          "20",
          "--json",
        ]);
        assert.equal(r.code, 0, `${port}: ${r.stderr}`);
        assert.equal(JSON.parse(r.stdout).summary.messagesVerified, 20);
      }
    } finally {
      await Promise.all(peers.map(stopPeer));
    }
  });

  test(`[${target}] socat and ncat are clients of echo serve over TCP, UDP and Unix`, {
    skip: !hasTool("socat") || !hasTool("ncat"),
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-echo-"));
    const sock = join(dir, "i.sock");
    const { child, at } = await startServe(target, ["0", "--unix", sock, "--mode", "upper"], [
      "tcp",
      "udp",
      "unix",
    ]);
    const run = (cmd: string, args: string[]) =>
      spawnSync(cmd, args, { input: "interop\n", encoding: "utf8", timeout: 10_000 });
    try {
      const checks: [string, string[]][] = [
        ["socat", ["-", `TCP:127.0.0.1:${at.tcp}`]],
        ["socat", ["-t", "1", "-", `UDP:127.0.0.1:${at.udp}`]],
        ["socat", ["-", `UNIX-CONNECT:${sock}`]],
        ["ncat", ["127.0.0.1", String(at.tcp)]],
        ["ncat", ["-U", sock]],
      ];
      for (const [cmd, args] of checks) {
        const r = run(cmd, args);
        assert.equal(r.stdout, "INTEROP\n", `${cmd} ${args.join(" ")}: ${r.stderr}`);
      }
    } finally {
      const r = await stopServe(child);
      rmSync(dir, { recursive: true, force: true });
      assert.equal(r.code, 0);
    }
  });
}

for (const target of targets()) {
  test(`[${target}] echo serve restarts on a Unix socket path a SIGKILLed server left, never on a live one`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-echo-"));
    const path = join(dir, "e.sock");
    try {
      const first = await startServe(target, ["--unix", path], ["unix"]);
      const taken = await runNetdiag(target, ["echo", "serve", "--unix", path]);
      assert.equal(taken.code, 3, taken.stderr);
      assert.equal(
        taken.stderr,
        `netdiag: cannot listen on "${path}": address already in use ` +
          "(a server is accepting connections on it)\n",
      );
      assert.equal(dec.decode(await exchange({ transport: "unix", path }, enc.encode("up"))), "up");
      const gone = new Promise((r) => first.child.once("exit", r));
      first.child.kill("SIGKILL");
      await gone;
      assert.ok(existsSync(path), "SIGKILL leaves the socket file behind");
      const again = await startServe(target, ["--unix", path], ["unix"]);
      try {
        const echoed = await exchange({ transport: "unix", path }, enc.encode("again"));
        assert.equal(dec.decode(echoed), "again");
      } finally {
        assert.equal((await stopServe(again.child)).code, 0);
      }
      writeFileSync(join(dir, "plain"), "keep");
      const file = await runNetdiag(target, ["echo", "serve", "--unix", join(dir, "plain")]);
      assert.equal(file.code, 3, file.stderr);
      assert.match(file.stderr, /a regular file, not a socket: left as it is/);
      assert.equal(readFileSync(join(dir, "plain"), "utf8"), "keep");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] echo test shows a plain refusal line escaped, and a stalled one times out`, async () => {
    const hostile = "\x1b[2J\x1b]0;pwned\x07\u202egotcha";
    const server = createServer((socket) => {
      const stall = socket.localPort === stalling;
      socket.once("data", () => {
        // The refusal's prefix and then either a hostile line or nothing more, the socket open.
        if (stall) socket.write("netdiag echo serve: too many");
        else socket.end(`netdiag echo serve: ${hostile}\n`);
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const second = createServer((socket) => server.emit("connection", socket));
    await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
    const stalling = (second.address() as { port: number }).port;
    try {
      const r = await runNetdiag(target, ["echo", "test", `127.0.0.1:${port}`, "--count", "1"]);
      assert.equal(r.code, 3, r.stderr);
      for (const text of [r.stdout, r.stderr]) {
        assert.ok(!rawControls(text), JSON.stringify(text));
      }
      assert.match(
        r.stderr,
        /server refused connection 1: \\e\[2J\\e\]0;pwned\\x07\\u\{202e\}gotcha/,
      );
      const started = performance.now();
      const stalled = await runNetdiag(target, [
        "echo",
        "test",
        `127.0.0.1:${stalling}`,
        "--count",
        "1",
        "--timeout",
        "1s",
      ]);
      assert.equal(stalled.code, 3, stalled.stderr);
      assert.ok(performance.now() - started < 10_000, "the stalled refusal ended by the timeout");
    } finally {
      server.close();
      second.close();
    }
  });

  test(`[${target}] echo test --framed shows a server's error frame escaped, never raw`, async () => {
    const hostile = "\x1b[2J\x1b]0;pwned\x07\u202egotcha";
    const server = createServer((socket) => {
      socket.once("data", () => socket.end(encodeFrame({ error: hostile }, new Uint8Array())));
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await runNetdiag(target, ["echo", "test", `127.0.0.1:${port}`, "--framed"]);
      assert.equal(r.code, 3, r.stderr);
      for (const text of [r.stdout, r.stderr]) {
        assert.ok(!rawControls(text), JSON.stringify(text));
      }
      assert.match(r.stderr, /server reported: \\e\[2J\\e\]0;pwned\\x07\\u\{202e\}gotcha/);
    } finally {
      server.close();
    }
  });
}

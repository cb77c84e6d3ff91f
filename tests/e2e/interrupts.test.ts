/**
 * SIGINT/SIGTERM on every command that runs long (docs/output.md, "Exit codes"): the work stops,
 * what was found so far is printed (the human summary, or the document / NDJSON summary marked
 * `"interrupted": true`), exit 130; servers print their totals and exit 0. Table-driven over
 * the commands, on every target. Each case signals only after a readiness sign (a line, a
 * connection seen by a peer, a SYN in flight), so the handler is in place.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Buffer } from "node:buffer";
import dnsPacket from "dns-packet";
import { netAdapter } from "../../lib/net/mod.ts";
import { startReceiver } from "../../lib/transfer/receiver.ts";
import {
  collect,
  type RunResult,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { startPausingProxy } from "../support/pausing_proxy.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";

/** Polls `check` every 20 ms until it holds, for at most `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether a TCP connect to 127.0.0.1:`port` is in flight (SYN_SENT in /proc/net/tcp). */
function synSentTo(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  // Through `cat`: Deno's --allow-read does not cover /proc without --allow-all.
  return execFileSync("cat", ["/proc/net/tcp"], { encoding: "utf8" }).split("\n").some((line) => {
    const f = line.trim().split(/\s+/);
    return f[2] === `0100007F:${hex}` && f[3] === "02";
  });
}

/**
 * Whether the TCP socket 127.0.0.1:`localPort` → 127.0.0.1:`remotePort` has nothing left in its
 * kernel receive queue (its process has read everything sent to it).
 */
function receiveQueueEmpty(localPort: number, remotePort: number): boolean {
  const hex = (port: number) => `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return execFileSync("cat", ["/proc/net/tcp"], { encoding: "utf8" }).split("\n").some((line) => {
    const f = line.trim().split(/\s+/);
    return f[1] === hex(localPort) && f[2] === hex(remotePort) &&
      f[4]?.split(":")[1] === "00000000";
  });
}

/** A TCP server on 127.0.0.1 that accepts and stays silent (or echoes); counts what it saw. */
function tcpServer(
  echo: boolean,
): Promise<
  { port: number; bytes(): number; accepted(): number; send(text: string): void; close(): void }
> {
  const sockets: net.Socket[] = [];
  let bytes = 0;
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.push(s);
    s.on("error", () => {});
    s.on("data", (chunk: Uint8Array) => {
      bytes += chunk.length;
      if (echo) s.write(chunk);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        bytes: () => bytes,
        accepted: () => sockets.length,
        send: (text: string) => sockets.forEach((s) => s.write(text)),
        close: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
      }))
  );
}

/**
 * A DNS server on 127.0.0.1 that answers names starting with `fast` (A 192.0.2.1) and never
 * answers the others; counts the queries for those.
 */
function dnsServer(): Promise<{ server: string; slowQueries(): number; close(): void }> {
  const socket = dgram.createSocket("udp4");
  let slow = 0;
  socket.on("message", (msg, from) => {
    const q = dnsPacket.decode(msg);
    const name = q.questions?.[0]?.name ?? "";
    if (!name.startsWith("fast")) return void slow++;
    const reply = dnsPacket.encode({
      type: "response",
      id: q.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: q.questions,
      answers: [{ type: "A", name, ttl: 60, class: "IN", data: "192.0.2.1" }],
    });
    socket.send(Buffer.from(reply), from.port, from.address);
  });
  return new Promise((resolve) =>
    socket.bind(0, "127.0.0.1", () =>
      resolve({
        server: `127.0.0.1:${socket.address().port}`,
        slowQueries: () => slow,
        close: () => socket.close(),
      }))
  );
}

/** One interrupt case: how to set it up, start it, know it is under way, and what it printed. */
interface Case {
  readonly name: string;
  /** SIGINT unless said. */
  readonly signal?: "SIGINT" | "SIGTERM";
  /** 130, or 0 for a server. */
  readonly code: 130 | 0;
  /** Prepares the peers; returns the arguments and a clean-up. */
  setup(): Promise<Fixture>;
}

interface Fixture {
  readonly args: string[];
  /** Resolves once the command is under way (its signal handler installed). */
  ready(child: ReturnType<typeof spawnNetdiag>): Promise<void>;
  /** Checks what it printed (the exit code is checked already). */
  check(r: RunResult): void;
  close(): Promise<void> | void;
}

/** The last JSON line of `text` (a relay command's document on stderr). */
function lastJsonLine(text: string) {
  return JSON.parse(text.trimEnd().split("\n").pop()!);
}

/** Checks an interrupted `--json` document against its schema. */
function interruptedDocument(schema: string, stdout: string) {
  const doc = JSON.parse(stdout);
  assertMatchesSchema(schema, doc);
  assert.equal(doc.interrupted, true);
  assert.equal(doc.exitCode, 130);
  assert.equal(doc.ok, false);
  return doc;
}

/** `probe` of an open and a filtered port, signalled while the filtered connect hangs. */
function probeCase(format: "human" | "json" | "ndjson", wait: boolean): Case {
  return {
    name: `probe ${wait ? "--wait" : "scan"} (${format})`,
    code: 130,
    async setup() {
      const open = await tcpServer(false);
      const filtered = await startFilteredPort();
      const targets = wait
        ? [`127.0.0.1:${filtered.port}`, "--wait", "60s", "--interval", "50ms"]
        : [`127.0.0.1:${open.port}`, `127.0.0.1:${filtered.port}`];
      const flags = format === "human" ? [] : [`--${format}`];
      return {
        args: ["probe", ...targets, "--timeout", "3s", ...flags],
        ready: () => until(() => synSentTo(filtered.port), "the connect to the filtered port"),
        check(r) {
          if (format === "human") {
            assert.match(r.stdout, /; interrupted/);
            if (wait) assert.match(r.stdout, /wait: stopped after/);
            else assert.match(r.stdout, new RegExp(`127\\.0\\.0\\.1:${open.port} +open`));
            return;
          }
          const summary = format === "json"
            ? interruptedDocument("probe", r.stdout).summary
            : lastJsonLine(r.stdout).summary;
          if (format === "ndjson") {
            assertNdjsonMatchesSchema("probe", r.stdout);
            assert.equal(lastJsonLine(r.stdout).interrupted, true);
          }
          if (wait) assert.ok(summary.wait.rounds >= 1, JSON.stringify(summary));
          else assert.ok(summary.counts.open === 1, JSON.stringify(summary));
        },
        close: async () => {
          open.close();
          await filtered.close();
        },
      };
    },
  };
}

/** `send` of a small file then a large one through a proxy that holds the large one. */
function sendCase(format: "human" | "json"): Case {
  return {
    name: `send mid-transfer (${format})`,
    code: 130,
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), "netdiag-int-"));
      const inbox = join(dir, "in");
      mkdirSync(inbox);
      writeFileSync(join(dir, "small.txt"), "hello\n");
      writeFileSync(join(dir, "big.bin"), new Uint8Array(16 * 1024 * 1024));
      const stop = new AbortController();
      let verified = 0;
      const receiver = await startReceiver(
        await netAdapter(),
        {
          dir: inbox,
          port: 0,
          keepResults: false,
        },
        { onFile: (f) => void (f.status === "saved" && verified++) },
        stop.signal,
      );
      const port = (receiver.address as { port: number }).port;
      const proxy = await startPausingProxy(port, 2 * 1024 * 1024);
      return {
        args: [
          "send",
          join(dir, "small.txt"),
          join(dir, "big.bin"),
          `127.0.0.1:${proxy.port}`,
          ...(format === "json" ? ["--json"] : []),
        ],
        ready: async () => {
          await proxy.paused;
          await until(() => verified === 1, "small.txt verified by the receiver");
          // The receiver counts the file before its acknowledgement reaches the sender: the
          // sender knows "verified" only once it has read that answer from its socket.
          await until(
            () =>
              proxy.returned('"name":"small.txt"') &&
              receiveQueueEmpty(proxy.clientPort() ?? 0, proxy.port),
            "the acknowledgement of small.txt read by the sender",
          );
        },
        check(r) {
          if (format === "human") {
            assert.match(r.stdout, /small\.txt/);
            assert.match(r.stdout, /\(interrupted\)/);
            return;
          }
          const doc = interruptedDocument("send", r.stdout);
          const states = doc.results.map((f: { name: string; status: string }) => [
            f.name,
            f.status,
          ]);
          assert.deepEqual(states, [["small.txt", "verified"], ["big.bin", "failed"]]);
          assert.equal(doc.summary.verified, 1);
        },
        close: async () => {
          proxy.close();
          stop.abort();
          await receiver.done.catch(() => {});
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** `connect` to a silent peer, signalled once connected. */
function connectCase(format: "human" | "json"): Case {
  return {
    name: `connect to a silent peer (${format})`,
    signal: format === "json" ? "SIGTERM" : "SIGINT",
    code: 130,
    async setup() {
      const peer = await tcpServer(false);
      return {
        args: ["connect", "127.0.0.1", String(peer.port), ...(format === "json" ? ["--json"] : [])],
        ready: async (child) => {
          if (format === "human") {
            await waitForLine(child.stderr!, (l) => l.startsWith("connected to") || undefined);
          } else {
            // No stderr lines: a byte from the peer on stdout shows the relay runs (an accepted
            // connection alone may not have reached netdiag yet, which then stops mid-dial).
            let relayed = false;
            child.stdout!.once("data", () => (relayed = true));
            await until(() => peer.accepted() > 0, "the connection");
            peer.send("x");
            await until(() => relayed, "a byte relayed from the peer");
          }
        },
        check(r) {
          if (format === "human") {
            assert.match(r.stderr, /closed \(stopped\)/);
            return;
          }
          const doc = lastJsonLine(r.stderr);
          assertMatchesSchema("connect", doc);
          assert.equal(doc.interrupted, true);
          assert.equal(doc.exitCode, 130);
          assert.equal(doc.results[0].end, "stopped");
        },
        close: () => peer.close(),
      };
    },
  };
}

/** A `dns -f` batch against a server that answers some names and never the others. */
function dnsCase(format: "json" | "ndjson"): Case {
  return {
    name: `dns batch (${format})`,
    code: 130,
    async setup() {
      const server = await dnsServer();
      const dir = mkdtempSync(join(tmpdir(), "netdiag-int-"));
      const file = join(dir, "queries.txt");
      writeFileSync(file, "fast1.test\nfast2.test\nslow1.test\nslow2.test\n");
      return {
        args: ["dns", "-f", file, "--server", server.server, "--timeout", "60s", `--${format}`],
        ready: async (child) => {
          if (format === "ndjson") {
            await waitForLine(child.stdout!, (l) => l.includes('"fast') || undefined);
          }
          await until(() => server.slowQueries() >= 2, "the slow queries");
        },
        check(r) {
          if (format === "ndjson") {
            assertNdjsonMatchesSchema("dns", r.stdout);
            const last = lastJsonLine(r.stdout);
            assert.equal(last.interrupted, true);
            assert.match(r.stdout, /fast1\.test/);
            return;
          }
          interruptedDocument("dns", r.stdout);
        },
        close: () => {
          server.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/**
 * `echo test` against an echo peer, signalled once a second message reaches the peer: the
 * client sends one 64-byte message at a time, so the second proves the first was verified.
 */
const echoTestCase: Case = {
  name: "echo test (json)",
  code: 130,
  async setup() {
    const peer = await tcpServer(true);
    return {
      args: ["echo", "test", `127.0.0.1:${peer.port}`, "--duration", "60s", "--json"],
      ready: () => until(() => peer.bytes() > 64, "a second message"),
      check(r) {
        const doc = interruptedDocument("echo-test", r.stdout);
        assert.ok(doc.summary.messagesVerified > 0, r.stdout);
      },
      close: () => peer.close(),
    };
  },
};

/** A server started on a free port, signalled once it says it listens: totals, exit 0. */
function serverCase(
  name: string,
  args: (dir: string) => string[],
  listening: RegExp,
  check: (r: RunResult) => void,
  signal: "SIGINT" | "SIGTERM" = "SIGINT",
  stream: "stdout" | "stderr" = "stderr",
): Case {
  return {
    name,
    signal,
    code: 0,
    setup() {
      const dir = mkdtempSync(join(tmpdir(), "netdiag-int-"));
      return Promise.resolve({
        args: args(dir),
        ready: async (child) => {
          await waitForLine(child[stream]!, (l) => listening.test(l) || undefined);
        },
        check,
        close: () => rmSync(dir, { recursive: true, force: true }),
      });
    },
  };
}

const CASES: readonly Case[] = [
  probeCase("human", false),
  probeCase("json", false),
  probeCase("ndjson", false),
  probeCase("human", true),
  probeCase("json", true),
  sendCase("human"),
  sendCase("json"),
  connectCase("human"),
  connectCase("json"),
  dnsCase("json"),
  dnsCase("ndjson"),
  echoTestCase,
  serverCase(
    "echo serve",
    () => ["echo", "serve", "--tcp", "0"],
    /^listening tcp /,
    (r) => assert.match(r.stdout, /(^|\n)totals: 0 connections/),
    "SIGINT",
    "stdout",
  ),
  serverCase(
    "echo serve (json)",
    () => ["echo", "serve", "--tcp", "0", "--json"],
    /^listening/,
    (r) => {
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("echo-serve", doc);
      assert.equal(doc.exitCode, 0);
      assert.equal("interrupted" in doc, false);
    },
    "SIGTERM",
  ),
  serverCase(
    "receive (json)",
    (dir) => ["receive", "--dir", dir, "--port", "0", "--json"],
    /listening on/,
    (r) => {
      const doc = JSON.parse(r.stdout);
      assertMatchesSchema("receive", doc);
      assert.equal(doc.exitCode, 0);
    },
  ),
  serverCase("receive", (dir) => ["receive", "--dir", dir, "--port", "0"], /listening on/, (r) => {
    // The totals start a line of their own (never after the "^C" a terminal echoes).
    assert.match(r.stdout, /(^|\n)0 saved, 0 refused/);
  }),
  serverCase("listen", () => ["listen", "0"], /listening on/, () => {}),
];

for (const target of targets()) {
  for (const c of CASES) {
    const signal = c.signal ?? "SIGINT";
    const expect = c.code === 130 ? "reports what it found, exit 130" : "prints its totals, exit 0";
    test(`[${target}] ${signal} on ${c.name} ${expect}`, async () => {
      await runCase(target, c, signal);
    });
  }
}

async function runCase(target: Target, c: Case, signal: "SIGINT" | "SIGTERM"): Promise<void> {
  const fixture = await c.setup();
  const child = spawnNetdiag(target, fixture.args);
  const done = collect(child, { timeoutMs: 30_000 });
  try {
    await fixture.ready(child);
    // process.kill, not child.kill: Deno's child.kill may end the child before its handler runs.
    process.kill(child.pid!, signal);
    const r = await done;
    assert.equal(r.code, c.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    fixture.check(r);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await done;
    await fixture.close();
  }
}

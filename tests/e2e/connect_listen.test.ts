/**
 * `connect` and `listen` end to end: round trips over TCP, UDP and Unix sockets between the two
 * commands, half-close, escapes and hex dumps, and the exit code of each failure.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  collect,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { startFilteredPort } from "../support/filtered_port.ts";
import { netAdapter } from "../../lib/net/mod.ts";
import { readAll } from "../support/conn.ts";
import { connectAndReset } from "../support/reset_client.ts";
import { holdUnixSocket, leaveStaleSocket } from "../support/unix_sockets.ts";
import { closedPort } from "../support/ports.ts";

/** Whether `text` holds ESC, BEL or a bidi override raw (as a terminal would act on them). */
function rawControls(text: string): boolean {
  return ["\x1b", "\x07", "\u202e"].some((c) => text.includes(c));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Starts `netdiag listen ARGS` and waits for its "listening on" report. */
async function startListen(target: Target, args: string[], stdin = "") {
  const child = spawnNetdiag(target, ["listen", ...args]);
  const address = await waitForLine(child.stderr!, (l) => /listening on (\S+)/.exec(l)?.[1]);
  const done = collect(child, { stdin, timeoutMs: 20_000 });
  return { address, port: Number(address.split(":").pop()), done };
}

/** A TCP server for one client: reads to EOF, then answers with `reply(input)` and closes. */
async function replyAfterEof(reply: (input: Uint8Array) => Uint8Array) {
  const net = await netAdapter();
  const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const served = listener.accept().then(async (conn) => {
    const input = await readAll(conn);
    await conn.write(reply(input));
    await conn.closeWrite();
    conn.close();
    return input;
  });
  return { port: (listener.addr as { port: number }).port, served, close: () => listener.close() };
}

for (const target of targets()) {
  test(`[${target}] connect and listen relay both ways over TCP and report bytes`, async () => {
    const server = await startListen(target, ["0"], "from listener\n");
    assert.match(server.address, /^127\.0\.0\.1:\d+$/);
    const client = await runNetdiag(target, ["connect", "127.0.0.1", String(server.port)], {
      stdin: "from connect\n",
    });
    const s = await server.done;
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, "from listener\n");
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, "from connect\n");
    assert.match(
      client.stderr,
      new RegExp(`connected to 127\\.0\\.0\\.1:${server.port} in [0-9.]+ ms`),
    );
    assert.match(client.stderr, /closed: sent 13 B, received 14 B in /);
    assert.match(s.stderr, /connection from 127\.0\.0\.1:\d+/);
  });

  test(`[${target}] connect half-closes at stdin EOF and still prints the reply`, async () => {
    const server = await replyAfterEof((input) => enc.encode(dec.decode(input).toUpperCase()));
    try {
      const r = await runNetdiag(target, ["connect", "127.0.0.1", String(server.port)], {
        stdin: "hello\nworld\n",
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(dec.decode(await server.served), "hello\nworld\n");
      assert.equal(r.stdout, "HELLO\nWORLD\n");
    } finally {
      server.close();
    }
  });

  test(`[${target}] connect --send understands escapes and --hex dumps the reply`, async () => {
    const server = await replyAfterEof((input) => input);
    try {
      const r = await runNetdiag(target, [
        "connect",
        "127.0.0.1",
        String(server.port),
        "--send",
        "GET / HTTP/1.0\\r\\n\\x00\\xff",
        "--hex",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([...await server.served], [...enc.encode("GET / HTTP/1.0\r\n"), 0, 0xff]);
      assert.equal(
        r.stdout,
        "00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 30 0d 0a  |GET / HTTP/1.0..|\n" +
          "00000010  00 ff                                             |..|\n",
      );
    } finally {
      server.close();
    }
  });

  test(`[${target}] connect and listen relay datagrams over UDP, replies to the last sender`, async () => {
    const server = await startListen(target, ["0", "--udp", "--idle-timeout", "1s"], "pong\n");
    const client = await runNetdiag(target, [
      "connect",
      "--udp",
      "127.0.0.1",
      String(server.port),
      "--send",
      "ping\\n",
      "--idle-timeout",
      "1s",
    ]);
    const s = await server.done;
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, "pong\n");
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, "ping\n");
    assert.match(s.stderr, /datagram from 127\.0\.0\.1:\d+/);
  });

  test(`[${target}] connect and listen relay over a Unix socket, which is removed after`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-unix-"));
    const path = join(dir, "s.sock");
    try {
      const server = await startListen(target, ["--unix", path], "unix reply\n");
      const client = await runNetdiag(target, [
        "connect",
        "--unix",
        path,
        "--send",
        "unix hello\\n",
      ]);
      const s = await server.done;
      assert.equal(client.code, 0, client.stderr);
      assert.equal(client.stdout, "unix reply\n");
      assert.equal(s.stdout, "unix hello\n");
      assert.equal(s.code, 0, s.stderr);
      assert.equal(existsSync(path), false, "socket file removed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] listen --keep-open serves clients one after another`, async () => {
    const child = spawnNetdiag(target, ["listen", "0", "--keep-open"]);
    const address = await waitForLine(child.stderr!, (l) => /listening on (\S+)/.exec(l)?.[1]);
    const done = collect(child, { timeoutMs: 20_000 });
    const port = address.split(":").pop()!;
    for (const word of ["first", "second"]) {
      const r = await runNetdiag(target, ["connect", "127.0.0.1", port, "--send", `${word}\\n`]);
      assert.equal(r.code, 0, r.stderr);
    }
    // process.kill, not child.kill: Deno's child.kill reports a signal death even when the
    // child handled the signal and exited 0.
    process.kill(child.pid!, "SIGTERM");
    const s = await done;
    assert.equal(s.stdout, "first\nsecond\n");
    assert.equal(s.code, 0, s.stderr);
  });

  test(`[${target}] connect to a closed port exits 1 with "refused"`, async () => {
    const port = await closedPort();
    const r = await runNetdiag(target, ["connect", "127.0.0.1", String(port), "--send", "x"]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `netdiag: cannot connect to "127.0.0.1:${port}": refused\n`);
  });

  test(`[${target}] connect to a filtered port exits 3 with "timed out"`, async () => {
    const filtered = await startFilteredPort();
    try {
      const r = await runNetdiag(target, [
        "connect",
        "127.0.0.1",
        String(filtered.port),
        "--timeout",
        "300ms",
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /cannot connect to "127\.0\.0\.1:\d+": timed out after 300ms/);
    } finally {
      await filtered.close();
    }
  });

  test(`[${target}] connect to an unresolvable name exits 3 with its own message`, async () => {
    const r = await runNetdiag(target, ["connect", "nosuch.invalid", "80"]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^netdiag: cannot resolve "nosuch\.invalid": /);
  });

  test(`[${target}] connect -4 with an IPv6 literal and bad arguments are usage errors`, async () => {
    for (
      const args of [
        ["connect", "-4", "::1", "80"],
        ["connect", "127.0.0.1"],
        ["connect", "127.0.0.1", "70000"],
        ["connect", "127.0.0.1", "80", "--send", "a", "--send-file", "b"],
        ["connect", "127.0.0.1", "80", "--send", "bad\\q"],
        ["connect", "--unix", "/tmp/x.sock", "-4"],
        ["connect", "--unix", "/tmp/x.sock", "--udp"],
        ["connect", "-4", "-6", "localhost", "80"],
        ["connect", "127.0.0.1", "80", "81"],
        ["listen"],
        ["listen", "--unix", "/tmp/x.sock", "--udp"],
        ["listen", "--unix", "/tmp/x.sock", "80"],
      ]
    ) {
      const r = await runNetdiag(target, args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });

  test(`[${target}] conflicting connect flags are refused by name before anything connects`, async () => {
    const r = await runNetdiag(target, ["connect", "--unix", "/tmp/x.sock", "--ipv6", "--json"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\nnetdiag: conflicting flags "--unix" and "--ipv6": -4 and -6 choose/);
  });

  test(`[${target}] listen -k --json reports every client and its totals when stopped`, async () => {
    const child = spawnNetdiag(target, ["listen", "0", "--keep-open", "--json"]);
    const address = await waitForLine(child.stderr!, (l) => /listening on (\S+)/.exec(l)?.[1]);
    const done = collect(child, { timeoutMs: 20_000 });
    const port = address.split(":").pop()!;
    for (const word of ["one", "three"]) {
      const r = await runNetdiag(target, ["connect", "127.0.0.1", port, "--send", word, "-q"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
    }
    process.kill(child.pid!, "SIGTERM");
    const s = await done;
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, "onethree");
    // The "listening on" line went to waitForLine; after it, only the document (no client lines).
    const lines = s.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, s.stderr);
    const doc = JSON.parse(lines[0]);
    assert.deepEqual(doc.results.map((r: { bytesReceived: number }) => r.bytesReceived), [3, 5]);
    assert.deepEqual(
      [doc.summary.clients, doc.summary.bytesReceived, doc.summary.stopped, doc.ok],
      [2, 8, true, true],
    );
  });

  test(`[${target}] connect --json with --hex: the dump on stdout, only the document on stderr`, async () => {
    const server = await replyAfterEof(() => enc.encode("\x00\x01AB"));
    try {
      const r = await runNetdiag(target, [
        "connect",
        "127.0.0.1",
        String(server.port),
        "--send",
        "x",
        "--hex",
        "--json",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^00000000 {2}00 01 41 42 /);
      const doc = JSON.parse(r.stderr);
      assert.deepEqual([doc.command, doc.results[0].bytesReceived], ["connect", 4]);
    } finally {
      server.close();
    }
  });

  test(`[${target}] connect --idle-timeout gives up on a silent peer with exit 3`, async () => {
    const net = await netAdapter();
    const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
    const held = listener.accept();
    try {
      const r = await runNetdiag(target, [
        "connect",
        "127.0.0.1",
        String((listener.addr as { port: number }).port),
        "--idle-timeout",
        "300ms",
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /idle for 300ms/);
    } finally {
      (await held).close();
      listener.close();
    }
  });
}

for (const target of targets()) {
  test(`[${target}] listen -k survives clients that reset before they are accepted`, async () => {
    const child = spawnNetdiag(target, ["listen", "0", "--keep-open"]);
    const address = await waitForLine(child.stderr!, (l) => /listening on (\S+)/.exec(l)?.[1]);
    const done = collect(child, { timeoutMs: 20_000 });
    const port = Number(address.split(":").pop());
    const net = await netAdapter();
    // The first client holds the listener (one client at a time) while three others reset in
    // its backlog, as a port scan does; they are met when it accepts again.
    const first = await net.connect({ transport: "tcp", hostname: "127.0.0.1", port });
    const relayed = waitForLine(child.stdout!, (l) => l === "first" ? true : undefined);
    await first.write(enc.encode("first\n"));
    await relayed;
    for (let i = 0; i < 3; i++) await connectAndReset(port);
    await new Promise((r) => setTimeout(r, 100));
    await first.closeWrite();
    await readAll(first);
    first.close();
    const second = await runNetdiag(target, [
      "connect",
      "127.0.0.1",
      String(port),
      "--send",
      "second\\n",
    ]);
    assert.equal(second.code, 0, second.stderr);
    process.kill(child.pid!, "SIGTERM");
    const s = await done;
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, "first\nsecond\n");
  });

  test(`[${target}] listen restarts on a Unix socket path a killed server left, never on a live one`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-unix-"));
    const path = join(dir, "s.sock");
    try {
      const killed = spawnNetdiag(target, ["listen", "--unix", path]);
      await waitForLine(killed.stderr!, (l) => l.includes("listening on") ? true : undefined);
      const live = await runNetdiag(target, ["listen", "--unix", path]);
      assert.equal(live.code, 3, live.stderr);
      assert.equal(
        live.stderr,
        `netdiag: cannot listen on "${path}": address already in use ` +
          "(a server is accepting connections on it)\n",
      );
      const gone = new Promise((r) => killed.once("exit", r));
      killed.kill("SIGKILL");
      await gone;
      assert.ok(existsSync(path), "SIGKILL leaves the socket file behind");
      const server = await startListen(target, ["--unix", path], "again\n");
      assert.equal(server.address, path);
      const client = await runNetdiag(target, ["connect", "--unix", path, "--send", "hi\\n"]);
      assert.equal(client.code, 0, client.stderr);
      assert.equal(client.stdout, "again\n");
      assert.equal((await server.done).stdout, "hi\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] listen --unix on a path that is not a socket exits 3 and leaves it alone`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-unix-"));
    const path = join(dir, "notes.txt");
    try {
      writeFileSync(path, "precious");
      const r = await runNetdiag(target, ["listen", "--unix", path]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(
        r.stderr,
        /address already in use \(a regular file, not a socket: left as it is\)/,
      );
      assert.equal(readFileSync(path, "utf8"), "precious");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] connect --unix names what a path that is not a listening socket is`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-unix-"));
    const dgram = await holdUnixSocket(join(dir, "dgram.sock"), "dgram");
    try {
      writeFileSync(join(dir, "file"), "x");
      await leaveStaleSocket(join(dir, "stale.sock"));
      const cases: [string, number, string][] = [
        ["file", 3, "not a socket (a regular file)"],
        ["file/x.sock", 3, "a path component is not a directory"],
        ["dgram.sock", 3, "not a stream socket (a datagram socket)"],
        ["stale.sock", 1, "refused"],
      ];
      for (const [name, code, why] of cases) {
        const path = join(dir, name);
        const r = await runNetdiag(target, ["connect", "--unix", path, "--send", "x"]);
        assert.equal(r.code, code, r.stderr);
        assert.equal(r.stderr, `netdiag: cannot connect to "${path}": ${why}\n`);
      }
    } finally {
      await dgram.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] listen --unix escapes a client's own socket path in its report`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-unix-"));
    const path = join(dir, "s.sock");
    try {
      const server = await startListen(target, ["--unix", path]);
      // A client bound to a path of its choosing: Deno reports it as the peer's address.
      const client = await holdUnixSocket(join(dir, "c\x1b[2J\x1b]0;pwned\x07.sock"), "client", {
        connectTo: path,
        send: "hello\n",
      });
      await client.close();
      const s = await server.done;
      assert.equal(s.code, 0, s.stderr);
      assert.equal(s.stdout, "hello\n");
      assert.ok(!rawControls(s.stderr), JSON.stringify(s.stderr));
      assert.match(s.stderr, /connection from /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

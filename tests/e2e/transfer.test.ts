/**
 * `send` and `receive` end to end: verified transfers of 0 B, 1 B and 10 MB files, hostile
 * names, a sender that vanishes mid-file, a corrupted body, three senders at once, refusals.
 * Raw protocol clients are built from the framing encoder to act as hostile senders.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { spawnSync } from "node:child_process";
import net from "node:net";
import {
  collect,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import {
  leftovers,
  rawClient,
  sha256,
  startReceiver,
  workspace,
} from "../support/transfer_peers.ts";
import { startPausingProxy } from "../support/pausing_proxy.ts";
import { fileSizeLimit, smallTmpfs, spawnWrapped } from "../support/wrapped_spawn.ts";
import { encodeFrame, encodeFrameHead, FrameCollector } from "../../lib/core/framing.ts";
import { netAdapter } from "../../lib/net/mod.ts";

for (const target of targets()) {
  test(`[${target}] receive --once is not ended by a connection that sends nothing`, async () => {
    const ws = workspace();
    try {
      const src = join(ws.base, "note.txt");
      writeFileSync(src, "hello");
      const receiver = await startReceiver(target, ws.dir, ["--once"]);
      const stray = await rawClient(receiver.port);
      await stray.finish();
      const r = await runNetdiag(target, ["send", src, `127.0.0.1:${receiver.port}`]);
      const rx = await receiver.done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(rx.code, 0, rx.stderr);
      assert.equal(readFileSync(join(ws.dir, "note.txt"), "utf8"), "hello");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a first file slower to hash than the receiver's idle timeout still arrives`, async () => {
    const ws = workspace();
    try {
      // A sparse 512 MiB file takes longer to hash than the receiver waits for a silent sender:
      // the sender must hash it before connecting, not on an open connection.
      const big = join(ws.base, "big.bin");
      writeFileSync(big, "");
      truncateSync(big, 512 * 1024 * 1024);
      const receiver = await startReceiver(target, ws.dir, ["--once", "--idle-timeout", "150ms"]);
      const r = await runNetdiag(target, ["send", big, `127.0.0.1:${receiver.port}`], {
        timeoutMs: 60_000,
      });
      const rx = await receiver.done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(rx.code, 0, rx.stderr);
      assert.equal(statSync(join(ws.dir, "big.bin")).size, 512 * 1024 * 1024);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] send delivers 0 B, 1 B and 10 MB files verified, receive --once exits 0`, async () => {
    const ws = workspace();
    try {
      const files = {
        "empty.bin": new Uint8Array(),
        "one.bin": Uint8Array.of(42),
        "ten.bin": randomBytes(10 * 1024 * 1024),
      };
      const src = join(ws.base, "src");
      mkdirSync(src);
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(src, name), bytes);
      const receiver = await startReceiver(target, ws.dir, ["--once", "--json"]);
      const r = await runNetdiag(target, [
        "send",
        ...Object.keys(files).map((n) => join(src, n)),
        `127.0.0.1:${receiver.port}`,
        "--json",
      ]);
      const rx = await receiver.done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(rx.code, 0, rx.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.command, "send");
      assert.equal(doc.summary.total, 3);
      assert.equal(doc.summary.verified, 3);
      assert.equal(doc.summary.bytes, 10 * 1024 * 1024 + 1);
      assert.deepEqual(doc.results.map((f: { status: string }) => f.status), [
        "verified",
        "verified",
        "verified",
      ]);
      assert.equal(doc.results[2].sha256, sha256(files["ten.bin"]));
      for (const [name, bytes] of Object.entries(files)) {
        assert.deepEqual(
          new Uint8Array(readFileSync(join(ws.dir, name))),
          new Uint8Array(bytes),
          name,
        );
      }
      assert.deepEqual(leftovers(ws.dir), []);
      const rdoc = JSON.parse(rx.stdout);
      assert.equal(rdoc.command, "receive");
      assert.equal(rdoc.summary.saved, 3);
      assert.equal(rdoc.summary.senders, 1);
      assert.equal(rdoc.results.length, 3);
      assert.deepEqual(Object.keys(rdoc.results[0].peer).sort(), ["address", "family", "port"]);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] receive refuses hostile names, writes nothing outside DIR, keeps in sync`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once"]);
      const client = await rawClient(receiver.port);
      const hostile = [
        "../x",
        "/etc/passwd",
        "a/../../b",
        "nul\0name",
        "n".repeat(300),
        ".",
        "..",
        "a\\..\\x",
      ];
      const evil = new TextEncoder().encode("evil");
      for (const name of hostile) await client.file(name, evil);
      await client.file("good.txt", new TextEncoder().encode("good"));
      const acks = await client.finish();
      const rx = await receiver.done;
      assert.equal(acks.length, hostile.length + 1);
      for (const [i, name] of hostile.entries()) {
        assert.equal(acks[i].ok, false, name);
        assert.equal(acks[i].name, name);
        assert.match(String(acks[i].error), /^unsafe name: /, name);
      }
      assert.deepEqual(acks[hostile.length], { size: 0, ok: true, name: "good.txt" });
      assert.deepEqual(readdirSync(ws.dir), ["good.txt"]);
      assert.deepEqual(readdirSync(ws.base), ["in"], "nothing written next to DIR");
      assert.notEqual(readFileSync("/etc/passwd", "utf8"), "evil");
      assert.equal(rx.code, 1, "--once with refusals exits 1");
      assert.match(rx.stdout, /refused +"\.\.\/x" .*unsafe name: contains a path separator/);
      assert.ok(!rx.stdout.includes("\0"), "names are printed quoted");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a sender gone mid-file leaves no final file and no temporary file`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir);
      const quitter = await rawClient(receiver.port);
      const body = randomBytes(1024 * 1024);
      await quitter.send(
        encodeFrameHead({ name: "partial.bin", sha256: sha256(body) }, body.length),
      );
      await quitter.send(body.subarray(0, 300 * 1024));
      quitter.conn.close(); // the sender dies: no more bytes, no half-close
      // The receiver keeps serving: the next sender's file arrives.
      const good = await rawClient(receiver.port);
      await good.file("after.txt", Uint8Array.of(1, 2, 3));
      const acks = await good.finish();
      assert.equal(acks[0].ok, true);
      receiver.stop();
      const rx = await receiver.done;
      assert.equal(rx.code, 0, rx.stderr);
      assert.equal(existsSync(join(ws.dir, "partial.bin")), false);
      assert.deepEqual(leftovers(ws.dir), []);
      assert.deepEqual(readdirSync(ws.dir), ["after.txt"]);
      assert.match(rx.stdout, /failed +"partial\.bin"/);
      assert.match(rx.stdout, /1 saved, 0 refused, 1 failed/);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] stopping receive mid-file deletes the partial file`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir);
      const client = await rawClient(receiver.port);
      await client.send(encodeFrameHead({ name: "big.bin", sha256: "0".repeat(64) }, 1 << 20));
      await client.send(new Uint8Array(64 * 1024));
      // Wait until the receiver has created its temporary file, then stop it.
      for (let i = 0; i < 100 && leftovers(ws.dir).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(leftovers(ws.dir).length, 1, "a temporary file while receiving");
      receiver.stop();
      const rx = await receiver.done;
      client.conn.close();
      assert.equal(rx.code, 0, rx.stderr);
      assert.deepEqual(readdirSync(ws.dir), []);
      assert.match(rx.stdout, /failed +"big\.bin" .*receiver was stopped/);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] receive stopped by SIGTERM prints its document, stopped, and exits 0 despite a failure`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--json"]);
      const client = await rawClient(receiver.port);
      await client.send(encodeFrameHead({ name: "big.bin", sha256: "0".repeat(64) }, 1 << 20));
      await client.send(new Uint8Array(1024));
      for (let i = 0; i < 100 && leftovers(ws.dir).length === 0; i++) await sleep(20);
      receiver.stop();
      const rx = await receiver.done;
      client.conn.close();
      assert.equal(rx.code, 0, rx.stderr);
      const doc = JSON.parse(rx.stdout);
      assert.deepEqual(
        [doc.command, doc.ok, doc.exitCode, doc.summary.stopped, doc.summary.failed],
        ["receive", true, 0, true, 1],
      );
      assert.equal(doc.results[0].error, "the receiver was stopped");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a corrupted body is refused with a sha256 mismatch and not saved`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once"]);
      const client = await rawClient(receiver.port);
      const enc = new TextEncoder();
      await client.file("note.txt", enc.encode("jello"), sha256(enc.encode("hello")));
      const acks = await client.finish();
      const rx = await receiver.done;
      assert.equal(acks.length, 1);
      assert.equal(acks[0].ok, false);
      assert.match(String(acks[0].error), /^sha256 mismatch: /);
      assert.deepEqual(readdirSync(ws.dir), []);
      assert.equal(rx.code, 1);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] three senders at once to one receiver all verify`, async () => {
    const ws = workspace();
    try {
      const src = join(ws.base, "src");
      mkdirSync(src);
      const names = ["a.bin", "b.bin", "c.bin"];
      const data = names.map(() => randomBytes(1024 * 1024 + 7));
      names.forEach((n, i) => writeFileSync(join(src, n), data[i]));
      const receiver = await startReceiver(target, ws.dir);
      const runs = await Promise.all(
        names.map((n) => runNetdiag(target, ["send", join(src, n), receiver.port])),
      );
      for (const r of runs) assert.equal(r.code, 0, r.stderr);
      receiver.stop();
      const rx = await receiver.done;
      assert.equal(rx.code, 0, rx.stderr);
      names.forEach((n, i) =>
        assert.deepEqual(new Uint8Array(readFileSync(join(ws.dir, n))), new Uint8Array(data[i]))
      );
      assert.match(rx.stdout, /3 saved, 0 refused, 0 failed \(3\.15 MB from 3 senders\)/);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] files of whole and partial 4 MiB write blocks arrive intact, sender after sender`, async () => {
    const ws = workspace();
    try {
      const src = join(ws.base, "src");
      mkdirSync(src);
      const MiB = 1024 * 1024;
      // One block exactly, the whole ring of three blocks, a wrap-around with a partial tail,
      // then (from a second sender, reusing the first one's blocks) another tail and a tiny file.
      const batches = [
        { "block.bin": 4 * MiB, "ring.bin": 12 * MiB, "wrap.bin": 17 * MiB + 12345 },
        { "again.bin": 4 * MiB + 1, "tiny.bin": 3 },
      ];
      const data = new Map<string, Uint8Array>();
      for (const batch of batches) {
        for (const [name, size] of Object.entries(batch)) {
          data.set(name, randomBytes(size));
          writeFileSync(join(src, name), data.get(name)!);
        }
      }
      const receiver = await startReceiver(target, ws.dir);
      for (const batch of batches) {
        const names = Object.keys(batch);
        const r = await runNetdiag(target, [
          "send",
          ...names.map((n) => join(src, n)),
          receiver.port,
          "--json",
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).summary.verified, names.length);
      }
      receiver.stop();
      const rx = await receiver.done;
      assert.equal(rx.code, 0, rx.stderr);
      for (const [name, bytes] of data) {
        const got = new Uint8Array(readFileSync(join(ws.dir, name)));
        assert.equal(got.length, bytes.length, name);
        assert.equal(sha256(got), sha256(bytes), name);
      }
      assert.deepEqual(leftovers(ws.dir), []);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] an existing file is refused (exit 1) unless --overwrite`, async () => {
    const ws = workspace();
    try {
      const file = join(ws.base, "same.txt");
      writeFileSync(file, "new contents");
      writeFileSync(join(ws.dir, "same.txt"), "old contents");
      let receiver = await startReceiver(target, ws.dir, ["--once"]);
      const refused = await runNetdiag(target, ["send", file, receiver.port]);
      await receiver.done;
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stdout, /refused +"same\.txt" .*already exists/);
      assert.equal(readFileSync(join(ws.dir, "same.txt"), "utf8"), "old contents");
      receiver = await startReceiver(target, ws.dir, ["--once", "--overwrite"]);
      const replaced = await runNetdiag(target, ["send", file, receiver.port]);
      await receiver.done;
      assert.equal(replaced.code, 0, replaced.stderr);
      assert.equal(readFileSync(join(ws.dir, "same.txt"), "utf8"), "new contents");
      assert.deepEqual(leftovers(ws.dir), []);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] --max-size refuses a larger file and send exits 1`, async () => {
    const ws = workspace();
    try {
      const file = join(ws.base, "big.bin");
      writeFileSync(file, randomBytes(2048));
      const receiver = await startReceiver(target, ws.dir, ["--once", "--max-size", "1K"]);
      const r = await runNetdiag(target, ["send", file, receiver.port]);
      const rx = await receiver.done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /refused +"big\.bin" .*too large: 2048 bytes, at most 1024/);
      assert.equal(rx.code, 1);
      assert.deepEqual(readdirSync(ws.dir), []);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] send and receive work over a Unix socket`, async () => {
    const ws = workspace();
    try {
      const file = join(ws.base, "u.txt");
      writeFileSync(file, "over unix");
      const path = join(ws.base, "r.sock");
      const child = spawnNetdiag(target, ["receive", "--dir", ws.dir, "--unix", path, "--once"]);
      await waitForLine(child.stderr!, (l) => l.includes("listening on") || undefined);
      const done = collect(child, { timeoutMs: 30_000 });
      const r = await runNetdiag(target, ["send", file, path]);
      const rx = await done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(rx.code, 0, rx.stderr);
      assert.equal(readFileSync(join(ws.dir, "u.txt"), "utf8"), "over unix");
      assert.equal(existsSync(path), false, "socket file removed");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] send's bad input exits 2 and a closed port exits 1`, async () => {
    const ws = workspace();
    try {
      const missing = await runNetdiag(target, ["send", join(ws.base, "nope"), "9"]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot send ".*nope": no such file/);
      const dirArg = await runNetdiag(target, ["send", ws.dir, "9"]);
      assert.equal(dirArg.code, 2);
      const badTarget = await runNetdiag(target, ["send", "/etc/hostname", "example.com"]);
      assert.equal(badTarget.code, 2);
      const noDir = await runNetdiag(target, ["receive", "--dir", join(ws.base, "nope")]);
      assert.equal(noDir.code, 2);
      assert.match(noDir.stderr, /no such directory/);
      const net = await netAdapter();
      const l = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
      const port = (l.addr as { port: number }).port;
      l.close();
      const file = join(ws.base, "f");
      writeFileSync(file, "x");
      const refused = await runNetdiag(target, ["send", file, String(port)]);
      assert.equal(refused.code, 1);
      assert.equal(refused.stderr, `netdiag: cannot connect to "127.0.0.1:${port}": refused\n`);
    } finally {
      ws.cleanup();
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Characters that must never reach a terminal raw: C0 but tab, DEL, C1, bidi, separators, BOM. */
const RAW_CONTROLS =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

/** Starts a receiver inside `wrapper` (see tests/support/wrapped_spawn.ts). */
async function startWrappedReceiver(
  target: Target,
  wrapper: string[],
  dir: string,
  args: string[],
) {
  const child = spawnWrapped(target, wrapper, ["receive", "--dir", dir, "--port", "0", ...args]);
  const done = collect(child, { timeoutMs: 60_000 });
  const port = await waitForLine(
    child.stderr!,
    (l) => /listening on 127\.0\.0\.1:(\d+)/.exec(l)?.[1],
  );
  return { port, done };
}

/** Why a 1 MiB tmpfs cannot be mounted for a receiver here, or undefined when it can. */
function tmpfsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "not root: cannot mount a small tmpfs";
  const probe = mkdtempSync(join(tmpdir(), "netdiag-tmpfs-probe-"));
  try {
    const r = spawnSync(smallTmpfs(probe, 64)[0], [...smallTmpfs(probe, 64).slice(1), "true"]);
    return r.status === 0 ? undefined : `unshare/mount failed: ${String(r.stderr).trim()}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const noTmpfs = tmpfsUnavailable();
if (noTmpfs) console.error(`skipping the ENOSPC transfer tests: ${noTmpfs}`);

/** Connects and resets at once (SO_LINGER 0), before the server may have accepted. */
function connectAndReset(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
    socket.on("connect", () => socket.resetAndDestroy());
  });
}

/**
 * A hostile receiver of version 2: answers a hello with the versions it takes, every file with
 * `error` (as its whole error text) and nothing else (trailers), then reads to the end. Serves
 * `connections` senders, then stops.
 */
async function hostileReceiver(error: string, connections: number) {
  const net = await netAdapter();
  const listener = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    for (let i = 0; i < connections; i++) {
      const conn = await listener.accept();
      const frames = new FrameCollector({ maxBodyBytes: 1 << 20 });
      const buf = new Uint8Array(65536);
      for (;;) {
        const n = await conn.read(buf).catch(() => null);
        if (n === null) break;
        for (const f of frames.push(buf.subarray(0, n))) {
          const answer = f.header.hello !== undefined
            ? { ok: true, name: "", versions: [1, 2] }
            : typeof f.header.name === "string"
            ? { ok: false, name: f.header.name, error }
            : undefined;
          if (answer) await conn.write(encodeFrame(answer, new Uint8Array()));
        }
      }
      conn.close();
    }
    listener.close();
  })();
  return { port: String((listener.addr as { port: number }).port), serving };
}

for (const target of targets()) {
  test(`[${target}] tricklers are cut by the header deadline and the minimum rate while an honest sender gets through`, async () => {
    const ws = workspace();
    try {
      const src = join(ws.base, "honest.bin");
      writeFileSync(src, randomBytes(256 * 1024));
      const receiver = await startReceiver(target, ws.dir, [
        ...["--max-conns", "3", "--header-timeout", "2s"],
        ...["--min-rate", "1K", "--min-rate-window", "2s"],
      ]);
      const body = randomBytes(64 * 1024);
      const head = encodeFrameHead({ name: "slow.bin", sha256: sha256(body) }, body.length);
      const started = performance.now();
      const headerTrickler = await rawClient(receiver.port);
      const bodyTrickler = await rawClient(receiver.port);
      await bodyTrickler.send(head);
      // Each sends one byte every 50 ms (20 B/s) for at most 8 s: of the header, of the body.
      const cutAfterMs = [[headerTrickler, head], [bodyTrickler, body]].map(async ([c, bytes]) => {
        const client = c as Awaited<ReturnType<typeof rawClient>>;
        for (let k = 0; k < 160 && !client.isEnded(); k++) {
          await client.send((bytes as Uint8Array).subarray(k, k + 1)).catch(() => {});
          await sleep(50);
        }
        if (!client.isEnded()) {
          client.conn.close();
          return Infinity;
        }
        return performance.now() - started;
      });
      const honest = await runNetdiag(target, ["send", src, receiver.port]);
      const [headerCutMs, bodyCutMs] = await Promise.all(cutAfterMs);
      assert.equal(honest.code, 0, honest.stdout + honest.stderr);
      assert.ok(
        headerCutMs >= 1900 && headerCutMs < 4500,
        `header trickler cut after ${headerCutMs} ms`,
      );
      assert.ok(bodyCutMs >= 1900 && bodyCutMs < 4500, `body trickler cut after ${bodyCutMs} ms`);
      assert.deepEqual(headerTrickler.acks, [{
        size: 0,
        ok: false,
        name: "",
        error: "too slow: no complete file header within 2s of connecting",
        failed: true,
      }]);
      assert.equal(bodyTrickler.acks.length, 1);
      assert.equal(bodyTrickler.acks[0].name, "slow.bin");
      assert.equal(bodyTrickler.acks[0].failed, true);
      assert.match(
        String(bodyTrickler.acks[0].error),
        /^too slow: \d+ B\/s over the last 2s, at least 1024 B\/s needed$/,
      );
      receiver.stop();
      const rx = await receiver.done;
      assert.equal(rx.code, 0, rx.stderr);
      assert.match(rx.stdout, /saved +"honest\.bin"/);
      assert.match(rx.stdout, /failed +"slow\.bin" .*too slow: \d+ B\/s over the last 2s/);
      assert.match(
        rx.stderr,
        /dropped 127\.0\.0\.1:\d+: too slow: no complete file header within 2s of connecting/,
      );
      assert.deepEqual(leftovers(ws.dir), []);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a later file far larger than the earlier ones still meets a short header deadline`, async () => {
    const ws = workspace();
    try {
      // The sparse 512 MiB file takes longer to hash than the receiver waits for a header: send
      // must have hashed it before the tiny file ahead of it ends, not after.
      const tiny = join(ws.base, "tiny.txt");
      const big = join(ws.base, "big.bin");
      writeFileSync(tiny, "hi");
      writeFileSync(big, "");
      truncateSync(big, 512 * 1024 * 1024);
      const receiver = await startReceiver(target, ws.dir, ["--once", "--header-timeout", "150ms"]);
      const r = await runNetdiag(target, ["send", tiny, big, receiver.port], { timeoutMs: 60_000 });
      const rx = await receiver.done;
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(rx.code, 0, rx.stdout + rx.stderr);
      assert.equal(statSync(join(ws.dir, "big.bin")).size, 512 * 1024 * 1024);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a restarted receive removes the temporary files a killed one left, and only those`, async () => {
    const ws = workspace();
    try {
      const killed = await startReceiver(target, ws.dir);
      const client = await rawClient(killed.port);
      await client.send(encodeFrameHead({ name: "big.bin", sha256: "0".repeat(64) }, 1 << 20));
      await client.send(new Uint8Array(64 * 1024));
      for (let i = 0; i < 100 && leftovers(ws.dir).length === 0; i++) await sleep(20);
      const [left] = leftovers(ws.dir);
      assert.match(left, /^\.netdiag-[0-9a-f]{16}\.part$/, "a temporary file while receiving");
      killed.kill();
      await killed.done;
      client.conn.close();
      assert.deepEqual(leftovers(ws.dir), [left], "SIGKILL leaves it behind");
      // Look-alikes that are not receive's own files stay: a symbolic link (to a file outside
      // DIR), a directory, other spellings.
      const victim = join(ws.base, "victim.txt");
      writeFileSync(victim, "keep me");
      symlinkSync(victim, join(ws.dir, ".netdiag-0123456789abcdef.part"));
      mkdirSync(join(ws.dir, ".netdiag-fedcba9876543210.part"));
      writeFileSync(join(ws.dir, ".netdiag-0123456789ABCDEF.part"), "x");
      writeFileSync(join(ws.dir, ".netdiag-0123.part"), "x");
      const restarted = await startReceiver(target, ws.dir);
      restarted.stop();
      const rx = await restarted.done;
      assert.equal(rx.code, 0, rx.stderr);
      assert.match(
        rx.stderr,
        /^removed 1 leftover temporary file \(\.netdiag-\*\.part\) of an earlier receive from "/m,
      );
      assert.deepEqual(leftovers(ws.dir).sort(), [
        ".netdiag-0123.part",
        ".netdiag-0123456789ABCDEF.part",
        ".netdiag-0123456789abcdef.part",
        ".netdiag-fedcba9876543210.part",
      ]);
      assert.equal(readFileSync(victim, "utf8"), "keep me");
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] names with C1, bidi or separator characters are refused and printed escaped`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once"]);
      const client = await rawClient(receiver.port);
      const hostile = [
        "a\u0085b",
        "x\u009b2Jy",
        "invoice\u202efdp.exe",
        "left\u2066right",
        "line\u2028break",
        "\ufeffbom.txt",
        "mark\u200e",
      ];
      const evil = new TextEncoder().encode("evil");
      for (const name of hostile) await client.file(name, evil);
      await client.file("good.txt", new TextEncoder().encode("good"));
      const acks = await client.finish();
      const rx = await receiver.done;
      assert.equal(acks.length, hostile.length + 1);
      for (const [i, name] of hostile.entries()) {
        assert.equal(acks[i].ok, false, JSON.stringify(name));
        assert.equal(acks[i].name, name);
        assert.match(
          String(acks[i].error),
          /^unsafe name: contains (a control|an invisible formatting) character \(U\+[0-9A-F]{4}\)$/,
        );
      }
      assert.deepEqual(acks[hostile.length], { size: 0, ok: true, name: "good.txt" });
      assert.deepEqual(readdirSync(ws.dir), ["good.txt"]);
      assert.equal(rx.code, 1);
      assert.ok(!RAW_CONTROLS.test(rx.stdout), JSON.stringify(rx.stdout));
      assert.match(rx.stdout, /refused +"invoice\\u202efdp\.exe" .*\(U\+202E\)/);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] send shows a receiver's error text escaped, and exact in --json`, async () => {
    const ws = workspace();
    try {
      const file = join(ws.base, "note.txt");
      writeFileSync(file, "hello");
      const error = "\x1b]0;pwned\x07\x1b[2Jgone\u202e\r\n\u0085";
      const hostile = await hostileReceiver(error, 2);
      const human = await runNetdiag(target, ["send", file, hostile.port]);
      const json = await runNetdiag(target, ["send", file, hostile.port, "--json"]);
      await hostile.serving;
      assert.equal(human.code, 1, human.stderr);
      assert.ok(!RAW_CONTROLS.test(human.stdout), JSON.stringify(human.stdout));
      assert.match(
        human.stdout,
        /refused +"note\.txt" .*\\e\]0;pwned\\x07\\e\[2Jgone\\u\{202e\}\\r\\n\\x85/,
      );
      assert.equal(json.code, 1, json.stderr);
      assert.equal(JSON.parse(json.stdout).results[0].error, error);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a sender that half-closes inside a file is told after how many bytes`, async () => {
    const ws = workspace();
    try {
      const receiver = await startReceiver(target, ws.dir, ["--once"]);
      const client = await rawClient(receiver.port);
      const body = randomBytes(1000);
      await client.file("before.txt", Uint8Array.of(1, 2, 3));
      await client.send(encodeFrameHead({ name: "cut.bin", sha256: sha256(body) }, body.length));
      await client.send(body.subarray(0, 300));
      const acks = await client.finish();
      const rx = await receiver.done;
      assert.deepEqual(acks, [
        { size: 0, ok: true, name: "before.txt" },
        {
          size: 0,
          ok: false,
          name: "cut.bin",
          error: "connection closed after 300 of 1000 bytes",
          failed: true,
        },
      ]);
      assert.equal(rx.code, 3, "--once with a failed transfer exits 3");
      assert.match(rx.stdout, /failed +"cut\.bin" .*connection closed after 300 of 1000 bytes/);
      assert.deepEqual(readdirSync(ws.dir), ["before.txt"]);
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] send reports a file that shrank mid-stream as failed, with the receiver's count`, async () => {
    const ws = workspace();
    try {
      const first = join(ws.base, "first.txt");
      const big = join(ws.base, "big.bin");
      const after = join(ws.base, "after.txt");
      writeFileSync(first, "first");
      writeFileSync(big, "");
      truncateSync(big, 64 * 1024 * 1024);
      writeFileSync(after, "after");
      const receiver = await startReceiver(target, ws.dir, ["--once"]);
      // The relay holds the sender still after 1 MiB, the file shrinks, then the sender goes on.
      const proxy = await startPausingProxy(Number(receiver.port), 1024 * 1024);
      try {
        const sending = runNetdiag(target, ["send", first, big, after, String(proxy.port)]);
        await proxy.paused;
        await sleep(300);
        truncateSync(big, 0);
        proxy.resume();
        const r = await sending;
        const rx = await receiver.done;
        assert.equal(r.code, 3, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.match(lines[0], /^verified +"first\.txt"/);
        const cut =
          /^failed +"big\.bin" .*cannot send ".*big\.bin": the file shrank while it was sent, after (\d+) of 67108864 bytes; the receiver: connection closed after (\d+) of 67108864 bytes$/
            .exec(lines[1]);
        assert.ok(cut, lines[1]);
        assert.equal(cut[1], cut[2], "the receiver got every byte sent");
        assert.match(lines[2], /^failed +"after\.txt" .*not sent: "big\.bin" was cut short$/);
        assert.equal(rx.code, 3, rx.stderr);
        assert.match(
          rx.stdout,
          /failed +"big\.bin" .*connection closed after \d+ of 67108864 bytes/,
        );
        assert.deepEqual(readdirSync(ws.dir), ["first.txt"]);
      } finally {
        proxy.close();
      }
    } finally {
      ws.cleanup();
    }
  });

  test(`[${target}] a write failure on the receiver (file size limit) fails the file: exit 3 on both sides`, async () => {
    const ws = workspace();
    try {
      const big = join(ws.base, "big.bin");
      const small = join(ws.base, "small.txt");
      writeFileSync(big, randomBytes(8 * 1024 * 1024));
      writeFileSync(small, "small");
      const receiver = await startWrappedReceiver(target, fileSizeLimit(1024), ws.dir, ["--once"]);
      const r = await runNetdiag(target, ["send", big, small, receiver.port]);
      const rx = await receiver.done;
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stdout, /failed +"big\.bin" .*cannot write: file too large .*\(EFBIG\)/);
      assert.match(r.stdout, /verified +"small\.txt"/);
      assert.equal(rx.code, 3, rx.stderr);
      assert.match(rx.stdout, /failed +"big\.bin" .*\(EFBIG\)/);
      assert.deepEqual(readdirSync(ws.dir), ["small.txt"]);
    } finally {
      ws.cleanup();
    }
  });

  test(
    `[${target}] a full disk on the receiver (1 MiB tmpfs) fails the file: exit 3 on both sides`,
    {
      skip: noTmpfs,
    },
    async () => {
      const ws = workspace();
      try {
        const big = join(ws.base, "big.bin");
        writeFileSync(big, randomBytes(8 * 1024 * 1024));
        const receiver = await startWrappedReceiver(target, smallTmpfs(ws.dir, 1024), ws.dir, [
          "--once",
        ]);
        const r = await runNetdiag(target, ["send", big, receiver.port]);
        const rx = await receiver.done;
        assert.equal(r.code, 3, r.stdout + r.stderr);
        assert.match(
          r.stdout,
          /failed +"big\.bin" .*cannot write: no space left on device \(ENOSPC\)/,
        );
        assert.equal(rx.code, 3, rx.stderr);
        assert.match(rx.stdout, /0 saved, 0 refused, 1 failed/);
      } finally {
        ws.cleanup();
      }
    },
  );

  test(`[${target}] receive survives connections reset before it accepts them`, async () => {
    const ws = workspace();
    try {
      const file = join(ws.base, "after-scan.txt");
      writeFileSync(file, "still here");
      const receiver = await startReceiver(target, ws.dir);
      for (let round = 0; round < 20; round++) {
        await Promise.all(Array.from({ length: 10 }, () => connectAndReset(Number(receiver.port))));
      }
      const r = await runNetdiag(target, ["send", file, receiver.port]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      receiver.stop();
      const rx = await receiver.done;
      assert.equal(rx.code, 0, rx.stderr);
      assert.equal(readFileSync(join(ws.dir, "after-scan.txt"), "utf8"), "still here");
    } finally {
      ws.cleanup();
    }
  });
}

/**
 * `send` and `receive` end to end: verified transfers of 0 B, 1 B and 10 MB files, hostile
 * names, a sender that vanishes mid-file, a corrupted body, three senders at once, refusals.
 * Raw protocol clients are built from the framing encoder to act as hostile senders.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
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
import { encodeFrame, encodeFrameHead, FrameCollector } from "../../lib/core/framing.ts";
import { type Connection, netAdapter } from "../../lib/net/mod.ts";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A fresh directory tree: `base/in` is where files are received. */
function workspace() {
  const base = mkdtempSync(join(tmpdir(), "netdiag-transfer-"));
  const dir = join(base, "in");
  mkdirSync(dir);
  return { base, dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Starts `netdiag receive --dir DIR --port 0 ARGS` and waits for its "listening on" report. */
async function startReceiver(target: Target, dir: string, args: string[] = []) {
  const child = spawnNetdiag(target, ["receive", "--dir", dir, "--port", "0", ...args]);
  const port = await waitForLine(
    child.stderr!,
    (l) => /listening on 127\.0\.0\.1:(\d+)/.exec(l)?.[1],
  );
  const done = collect(child, { timeoutMs: 60_000 });
  // process.kill, not child.kill: Deno's child.kill reports a signal death even after a clean exit.
  return { port, done, stop: () => process.kill(child.pid!, "SIGTERM") };
}

/** A raw protocol client: sends bytes, collects the receiver's acknowledgements. */
async function rawClient(port: string) {
  const net = await netAdapter();
  const conn: Connection = await net.connect({
    transport: "tcp",
    hostname: "127.0.0.1",
    port: Number(port),
  });
  const acks: Record<string, unknown>[] = [];
  const reading = (async () => {
    const frames = new FrameCollector();
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      for (const f of frames.push(buf.subarray(0, n))) acks.push(f.header);
    }
  })();
  return {
    conn,
    send: (bytes: Uint8Array) => conn.write(bytes),
    file: (name: string, body: Uint8Array, hash = sha256(body)) =>
      conn.write(encodeFrame({ name, sha256: hash }, body)),
    /** Half-closes and waits for the receiver to answer and close. */
    finish: async () => {
      await conn.closeWrite();
      await reading;
      conn.close();
      return acks;
    },
  };
}

const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.startsWith(".netdiag-"));

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
      assert.equal(doc.total, 3);
      assert.equal(doc.verified, 3);
      assert.equal(doc.bytes, 10 * 1024 * 1024 + 1);
      assert.deepEqual(doc.files.map((f: { status: string }) => f.status), [
        "verified",
        "verified",
        "verified",
      ]);
      assert.equal(doc.files[2].sha256, sha256(files["ten.bin"]));
      for (const [name, bytes] of Object.entries(files)) {
        assert.deepEqual(
          new Uint8Array(readFileSync(join(ws.dir, name))),
          new Uint8Array(bytes),
          name,
        );
      }
      assert.deepEqual(leftovers(ws.dir), []);
      const rdoc = JSON.parse(rx.stdout);
      assert.equal(rdoc.saved, 3);
      assert.equal(rdoc.senders, 1);
      assert.equal(rdoc.files.length, 3);
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
        assert.equal(JSON.parse(r.stdout).verified, names.length);
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

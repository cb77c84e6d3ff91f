/**
 * Bun's output stream writer: in order; to a regular file, large or many writes go through
 * write(2) synchronously (they append, and a fast producer queues nothing); small writes to
 * anything else stay on Bun.write. Bun only (it loads node:fs through import.meta.require).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BunOut } from "../../lib/runtime/bun_out.ts";

const inBun = "Bun" in globalThis;

/** A Bun.write stand-in that records what it was given and resolves later. */
function fakeBun() {
  const calls: string[] = [];
  return {
    calls,
    api: {
      write: async (_dest: unknown, data: string | Uint8Array) => {
        await new Promise((r) => setTimeout(r, 1));
        calls.push(typeof data === "string" ? data : new TextDecoder().decode(data));
        return data.length;
      },
    },
  };
}

test("a regular file opened for appending gets every write after what it held, in order", {
  skip: !inBun && "Bun only",
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-bunout-"));
  const path = join(dir, "log");
  writeFileSync(path, "before\n");
  const fd = openSync(path, "a");
  try {
    const bun = fakeBun();
    const out = new BunOut(bun.api, "dest", fd);
    void out.write("small 1\n");
    void out.write("L".repeat(2000) + "\n");
    void out.write("small 2\n");
    await out.flush();
    // The large write showed a regular file before the queued small one ran: all three went to
    // the file itself, in order, after what it held.
    assert.deepEqual(bun.calls, []);
    const text = readFileSync(path, "utf8");
    assert.equal(text, "before\nsmall 1\n" + "L".repeat(2000) + "\nsmall 2\n");
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "small writes to a pipe-like stream stay on Bun.write, in order: those of one turn in one write",
  {
    skip: !inBun && "Bun only",
  },
  async () => {
    const bun = fakeBun();
    const out = new BunOut(bun.api, "dest", 987654); // no such descriptor: never a regular file
    for (let i = 0; i < 5; i++) void out.write(`line ${i}\n`);
    void out.write("x".repeat(1000));
    await out.flush();
    void out.write("later\n");
    await out.flush();
    const lines = [0, 1, 2, 3, 4].map((i) => `line ${i}\n`).join("");
    assert.deepEqual(bun.calls, [lines + "x".repeat(1000), "later\n"]);
  },
);

test("bytes and text written in one turn join into one write of bytes, in order", {
  skip: !inBun && "Bun only",
}, async () => {
  const bun = fakeBun();
  const out = new BunOut(bun.api, "dest", 987654);
  void out.write("ab");
  void out.write(Uint8Array.of(0x63));
  await out.write("d");
  assert.deepEqual(bun.calls, ["abcd"]);
});

test("to a file, a producer that never yields holds one batch: full ones are written at once", {
  skip: !inBun && "Bun only",
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-bunout-"));
  const path = join(dir, "out");
  const fd = openSync(path, "w");
  try {
    const out = new BunOut(fakeBun().api, "dest", fd);
    for (let i = 0; i < 10; i++) void out.write(String(i).repeat(100_000));
    // Still in the same turn: all but the last batch (two writes of 100,000) are in the file.
    assert.equal(readFileSync(path, "utf8").length, 800_000);
    await out.flush();
    const text = readFileSync(path, "utf8");
    assert.equal(text, [...Array(10).keys()].map((i) => String(i).repeat(100_000)).join(""));
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

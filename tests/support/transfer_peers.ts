/**
 * Peers of the transfer tests: a fresh workspace, `netdiag receive` started and waited for, a raw
 * protocol client that collects the receiver's answers, and the `.part` files left behind.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { collect, spawnNetdiag, type Target, waitForLine } from "./cli.ts";
import { encodeFrame, FrameCollector } from "../../lib/core/framing.ts";
import { type Connection, netAdapter } from "../../lib/net/mod.ts";

/** The SHA-256 of bytes, in hex. */
export const sha256 = (bytes: Uint8Array): string =>
  createHash("sha256").update(bytes).digest("hex");

/** A temporary tree; `dir` (`base/in`) is where files are received. */
export interface Workspace {
  readonly base: string;
  readonly dir: string;
  cleanup(): void;
}

/** A fresh directory tree: `base/in` is where files are received. */
export function workspace(): Workspace {
  const base = mkdtempSync(join(tmpdir(), "netdiag-transfer-"));
  const dir = join(base, "in");
  mkdirSync(dir);
  return { base, dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Starts `netdiag receive --dir DIR --port 0 ARGS` and waits for its "listening on" report. */
export async function startReceiver(target: Target, dir: string, args: string[] = []) {
  const child = spawnNetdiag(target, ["receive", "--dir", dir, "--port", "0", ...args]);
  // Collecting first, so that stderr before "listening on" is kept too.
  const done = collect(child, { timeoutMs: 60_000 });
  const port = await waitForLine(
    child.stderr!,
    (l) => /listening on 127\.0\.0\.1:(\d+)/.exec(l)?.[1],
  );
  // process.kill, not child.kill: Deno's child.kill reports a signal death even after a clean exit.
  return {
    port,
    done,
    stop: () => process.kill(child.pid!, "SIGTERM"),
    kill: () => process.kill(child.pid!, "SIGKILL"),
  };
}

/** A raw protocol client: sends bytes, collects the receiver's acknowledgements. */
export async function rawClient(port: string | number) {
  const net = await netAdapter();
  const conn: Connection = await net.connect({
    transport: "tcp",
    hostname: "127.0.0.1",
    port: Number(port),
  });
  const acks: Record<string, unknown>[] = [];
  let ended = false;
  const reading = (async () => {
    const frames = new FrameCollector();
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      for (const f of frames.push(buf.subarray(0, n))) acks.push(f.header);
    }
    ended = true;
  })();
  return {
    conn,
    acks,
    /** Resolves when the receiver has closed its side (or the connection broke). */
    ended: reading,
    /** Whether the receiver has closed its side (or the connection broke). */
    isEnded: () => ended,
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

export const leftovers = (dir: string): string[] =>
  readdirSync(dir).filter((n) => n.startsWith(".netdiag-"));

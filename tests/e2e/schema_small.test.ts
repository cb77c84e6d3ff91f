/**
 * The documents of the byte-order, address-conversion, `info` and echo commands match their
 * published JSON Schemas (docs/schema/), on success and on failure, `--json` and `--ndjson`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import process from "node:process";
import {
  collect,
  runNetdiag,
  spawnNetdiag,
  type Target,
  targets,
  waitForLine,
} from "../support/cli.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";
import { freePort } from "../support/ports.ts";

/** Runs netdiag, checks the exit code, and returns stdout parsed as one document. */
async function document(target: Target, args: string[], code: number) {
  const r = await runNetdiag(target, args);
  assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Starts `echo serve` with `args` and returns it with its TCP port, read from `stream`. */
async function serve(target: Target, args: string[], stream: "stdout" | "stderr") {
  const child = spawnNetdiag(target, ["echo", "serve", "--tcp", "0", ...args]);
  const port = await waitForLine(child[stream]!, (line) => {
    const json = line.startsWith("{") ? JSON.parse(line) : undefined;
    if (json?.type === "listening") return json.port as number;
    return /^listening tcp 127\.0\.0\.1:(\d+)$/.exec(line)?.[1];
  }).catch((error) => {
    child.kill("SIGKILL");
    throw error;
  });
  return { child, port: Number(port) };
}

/** Stops a server with SIGTERM and returns what it printed after it was ready. */
function stop(child: ChildProcess) {
  const done = collect(child, { timeoutMs: 15_000 });
  process.kill(child.pid!, "SIGTERM");
  return done;
}

for (const target of targets()) {
  test(`[${target}] byte-order documents match docs/schema/byte-order`, async () => {
    for (const fn of ["htons", "htonl", "ntohs", "ntohl"]) {
      const doc = await document(target, [fn, "20000", "1", "--json=true"], 0);
      assertMatchesSchema("byte-order", doc);
      assert.equal(doc.command, fn);
      assert.equal(doc.results.length, 2);
    }
  });

  test(`[${target}] htons 20000 --json as typed (the fast path) prints the full CLI's document`, async () => {
    const typed = await runNetdiag(target, ["htons", "20000", "--json"]);
    const full = await runNetdiag(target, ["htons", "20000", "--json=true"]);
    assert.equal(typed.code, 0, typed.stderr);
    assert.equal(typed.stdout, full.stdout);
    assertMatchesSchema("byte-order", JSON.parse(typed.stdout));
  });

  test(`[${target}] aton, ntoa, pton, ntop documents match docs/schema/inet, converted or refused`, async () => {
    for (
      const args of [["aton", "127.1"], ["pton", "::1"], ["ntoa", "7f000001"], ["ntop", "7f000001"]]
    ) {
      const doc = await document(target, [...args, "--json"], 0);
      assertMatchesSchema("inet", doc);
      assert.equal(doc.command, args[0]);
    }
    for (const args of [["aton", "08.1"], ["ntop", "7g000001"]]) {
      const doc = await document(target, [...args, "--json"], 2);
      assertMatchesSchema("inet", doc);
      assert.equal(doc.error.kind, "usage");
    }
  });

  test(`[${target}] the info document matches docs/schema/info`, async () => {
    const doc = await document(target, ["info", "--json"], 0);
    assertMatchesSchema("info", doc);
    assert.ok(doc.results.some((i: { address: string }) => i.address === "127.0.0.1"));
  });

  test(`[${target}] echo serve --json and --ndjson match docs/schema/echo-serve, and a listen failure too`, async () => {
    const json = await serve(target, ["--json"], "stderr");
    await runNetdiag(target, ["echo", "test", String(json.port), "--count", "2"]);
    const j = await stop(json.child);
    assert.equal(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout);
    assertMatchesSchema("echo-serve", doc);
    assert.equal(doc.summary.connections, 1);
    assert.deepEqual(doc.results, [
      { transport: "tcp", address: "127.0.0.1", port: json.port, family: 4 },
    ]);

    const nd = await serve(target, ["--ndjson", "--udp", "0"], "stdout");
    await runNetdiag(target, ["echo", "test", String(nd.port), "--count", "2"]);
    const n = await stop(nd.child);
    assert.equal(n.code, 0, n.stderr);
    assertNdjsonMatchesSchema("echo-serve", n.stdout);
    assertNdjsonMatchesSchema("echo-serve", n.stderr); // the connection lines
    assert.equal(JSON.parse(n.stdout.trim().split("\n").at(-1)!).summary.connections, 1);

    const taken = await serve(target, [], "stdout");
    try {
      const args = ["echo", "serve", "--tcp", String(taken.port)];
      const failed = await document(target, [...args, "--json"], 3);
      assertMatchesSchema("echo-serve", failed);
      assert.equal(failed.error.kind, "failure");
      const line = await runNetdiag(target, [...args, "--ndjson"]);
      assert.equal(line.code, 3);
      assertNdjsonMatchesSchema("echo-serve", line.stdout);
    } finally {
      await stop(taken.child);
    }
  });

  test(`[${target}] echo test --json and --ndjson match docs/schema/echo-test: verified, mismatch, refused`, async () => {
    const prefix = await serve(target, ["--mode", "prefix"], "stdout");
    const plain = await serve(target, [], "stdout");
    try {
      const args = (port: number) => ["echo", "test", String(port), "--count", "3"];
      const ok = await document(target, [...args(plain.port), "--connections", "2", "--json"], 0);
      assertMatchesSchema("echo-test", ok);
      assert.deepEqual(ok.results.map((c: { connection: number }) => c.connection).sort(), [1, 2]);
      const lines = await runNetdiag(target, [
        ...args(plain.port),
        "--connections",
        "2",
        "--ndjson",
      ]);
      assert.equal(lines.code, 0, lines.stderr);
      assertNdjsonMatchesSchema("echo-test", lines.stdout);
      assert.deepEqual(lines.stdout.trim().split("\n").map((l) => JSON.parse(l).type), [
        "result",
        "result",
        "summary",
      ]);
      const mismatch = await document(target, [...args(prefix.port), "--json"], 1);
      assertMatchesSchema("echo-test", mismatch);
      assert.equal(mismatch.ok, false);
      assert.equal(mismatch.summary.mismatch.connection, 1);
      const refused = await document(target, [...args(await freePort()), "--json"], 1);
      assertMatchesSchema("echo-test", refused);
      assert.equal(refused.error.kind, "negative");
      const refusedLines = await runNetdiag(target, [...args(await freePort()), "--ndjson"]);
      assert.equal(refusedLines.code, 1);
      assertNdjsonMatchesSchema("echo-test", refusedLines.stdout);
      assert.equal(JSON.parse(refusedLines.stdout.trim().split("\n").at(-1)!).type, "error");
    } finally {
      await stop(prefix.child);
      await stop(plain.child);
    }
  });

  test(`[${target}] an echo test document with a wrong field fails its schema`, () => {
    const doc = {
      command: "echo test",
      ok: true,
      exitCode: 0,
      summary: { target: "127.0.0.1:7", seconds: 1 },
      results: [],
    };
    assert.throws(() => assertMatchesSchema("echo-test", doc), /does not match/);
    const line = { type: "listening", transport: "tcp", address: "127.0.0.1", port: "7" };
    assert.throws(() => assertNdjsonMatchesSchema("echo-serve", JSON.stringify(line)), /match/);
  });
}

/**
 * `probe` documents and NDJSON lines match their published JSON Schemas (docs/schema/probe*.json):
 * open, closed, error states, UDP and Unix results, waits with a program, bad input and names
 * that cannot be resolved.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNetdiag, type Target, targets } from "../support/cli.ts";
import { assertMatchesSchema, assertNdjsonMatchesSchema } from "../support/schema.ts";
import { type Listener, netAdapter } from "../../lib/net/mod.ts";

/** Loopback listeners for a probe: a TCP port, a UDP echo, a Unix socket, and a closed port. */
async function endpoints() {
  const net = await netAdapter();
  const tcp = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  drain(tcp);
  const gone = await net.listen({ transport: "tcp", hostname: "127.0.0.1", port: 0 });
  const closed = (gone.addr as { port: number }).port;
  gone.close();
  const udp = await net.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for (;;) {
      const d = await udp.receive();
      await udp.send(new TextEncoder().encode("pong"), d.from);
    }
  })().catch(() => {});
  const dir = mkdtempSync(join(tmpdir(), "netdiag-schema-probe-"));
  const unix = await net.listen({ transport: "unix", path: join(dir, "s.sock") });
  drain(unix);
  writeFileSync(join(dir, "plain"), "x");
  return {
    tcp: (tcp.addr as { port: number }).port,
    closed,
    udp: (udp.addr as { port: number }).port,
    dir,
    close() {
      tcp.close();
      udp.close();
      unix.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function drain(listener: Listener): void {
  (async () => {
    for (;;) (await listener.accept()).close();
  })().catch(() => {});
}

/** Runs `probe` with `args`, checks the exit code and returns stdout. */
async function probeOut(target: Target, args: string[], code: number): Promise<string> {
  const r = await runNetdiag(target, ["probe", ...args]);
  assert.equal(r.code, code, `probe ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

for (const target of targets()) {
  test(`[${target}] probe --json documents match docs/schema/probe.schema.json`, async () => {
    const at = await endpoints();
    try {
      const cases: [string[], number][] = [
        [[`127.0.0.1:${at.tcp}`, `unix:${join(at.dir, "s.sock")}`], 0],
        [[`127.0.0.1:${at.tcp},${at.closed}`, `unix:${join(at.dir, "none.sock")}`], 1],
        [[`unix:${join(at.dir, "plain")}`], 3],
        [["--udp", `127.0.0.1:${at.udp},${at.closed}`, "--timeout", "300ms"], 1],
        [[`127.0.0.1:${at.tcp}`, "--wait", "5s", "--json", "--", "true"], 0],
        [["nosuch.invalid:80"], 3],
        [["127.0.0.1"], 2],
      ];
      for (const [args, code] of cases) {
        const json = args.includes("--json") ? args : [...args, "--json"];
        const doc = JSON.parse(await probeOut(target, json, code));
        assertMatchesSchema("probe", doc);
        assert.equal(doc.exitCode, code);
      }
    } finally {
      at.close();
    }
  });

  test(`[${target}] probe --ndjson lines match docs/schema/probe.ndjson.schema.json`, async () => {
    const at = await endpoints();
    try {
      const out = await probeOut(target, [`127.0.0.1:${at.tcp},${at.closed}`, "--ndjson"], 1);
      assert.equal(out.trimEnd().split("\n").length, 3);
      assertNdjsonMatchesSchema("probe", out);
      const udp = await probeOut(target, ["--udp", `127.0.0.1:${at.udp}`, "--ndjson"], 0);
      assertNdjsonMatchesSchema("probe", udp);
      const failed = await probeOut(target, ["nosuch.invalid:80", "--ndjson"], 3);
      assert.equal(JSON.parse(failed).type, "error");
      assertNdjsonMatchesSchema("probe", failed);
    } finally {
      at.close();
    }
  });

  test(`[${target}] a probe document with a wrong field fails its schema`, async () => {
    const at = await endpoints();
    try {
      const doc = JSON.parse(await probeOut(target, [`127.0.0.1:${at.tcp}`, "--json"], 0));
      assertMatchesSchema("probe", doc);
      for (
        const spoil of [
          (d: typeof doc) => (d.results[0].family = "4"),
          (d: typeof doc) => (d.results[0].extra = true),
          (d: typeof doc) => (d.summary.counts.openFiltered = -1),
          (d: typeof doc) => (d.results[0].state = "opened"),
        ]
      ) {
        const copy = structuredClone(doc);
        spoil(copy);
        assert.throws(() => assertMatchesSchema("probe", copy), /does not match/);
      }
    } finally {
      at.close();
    }
  });
}

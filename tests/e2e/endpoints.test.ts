/**
 * The endpoint grammar of docs/endpoints.md, table-driven over every command that takes one, on
 * both targets: clients (`connect`, `echo test`, `send`) reach a loopback echo server or
 * receiver through every form; servers (`listen`, `receive`, `echo serve`) bind through `PORT`,
 * `-p`/`--port` and `HOST:PORT`; bad forms are one line, exit 2.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNetdiag, spawnNetdiag, targets, waitForLine } from "../support/cli.ts";

/** Starts `echo serve` on a free TCP port and returns its port and a stop function. */
async function echoServer(target: Parameters<typeof spawnNetdiag>[0]) {
  const child = spawnNetdiag(target, ["echo", "serve", "--tcp", "0", "--ndjson"]);
  const port = await waitForLine(child.stdout!, (line) => {
    const m = /"port":(\d+)/.exec(line);
    return m ? Number(m[1]) : undefined;
  });
  return { port, stop: () => child.kill("SIGTERM") };
}

const clientForms = (port: number): string[][] => [
  [`127.0.0.1:${port}`],
  [`localhost:${port}`],
  ["127.0.0.1", String(port)],
  [String(port)],
];

for (const target of targets()) {
  test(`[${target}] connect and echo test reach a server through every client form`, async () => {
    const server = await echoServer(target);
    try {
      for (const form of clientForms(server.port)) {
        const connect = await runNetdiag(target, ["connect", "-q", ...form, "--send", "hi"]);
        assert.equal(connect.code, 0, `connect ${form.join(" ")}: ${connect.stderr}`);
        assert.equal(connect.stdout, "hi");
        const echo = await runNetdiag(target, ["echo", "test", ...form, "-c", "1", "-j"]);
        assert.equal(echo.code, 0, `echo test ${form.join(" ")}: ${echo.stderr}`);
        assert.equal(JSON.parse(echo.stdout).ok, true);
      }
    } finally {
      server.stop();
    }
  });

  test(`[${target}] servers bind through PORT, -p, --port and HOST:PORT`, async () => {
    const forms = [["0"], ["-p", "0"], ["--port", "0"], ["127.0.0.1:0"], ["127.0.0.1", "0"]];
    for (const form of forms) {
      const listen = spawnNetdiag(target, ["listen", ...form]);
      const line = await waitForLine(
        listen.stderr!,
        (l) => /listening on 127\.0\.0\.1:\d+/.exec(l) ?? undefined,
      );
      assert.ok(line, `listen ${form.join(" ")}`);
      listen.kill("SIGTERM");
      const echo = spawnNetdiag(target, ["echo", "serve", ...form]);
      const bound = await waitForLine(
        echo.stdout!,
        (l) => /listening tcp 127\.0\.0\.1:\d+/.exec(l) ?? undefined,
      );
      assert.ok(bound, `echo serve ${form.join(" ")}`);
      echo.kill("SIGTERM");
    }
  });

  test(`[${target}] receive takes PORT, and send reaches it through HOST:PORT and PORT`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdiag-endpoints-"));
    try {
      const file = join(dir, "a.txt");
      writeFileSync(file, "hello");
      const inbox = join(dir, "in");
      mkdirSync(inbox);
      const receiver = spawnNetdiag(target, ["receive", "--dir", inbox, "0", "--overwrite"]);
      const port = await waitForLine(receiver.stderr!, (l) => {
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(l);
        return m ? Number(m[1]) : undefined;
      });
      try {
        for (const where of [`127.0.0.1:${port}`, String(port)]) {
          const sent = await runNetdiag(target, ["send", "-q", file, where]);
          assert.equal(sent.code, 0, `send ${where}: ${sent.stderr}`);
        }
      } finally {
        receiver.kill("SIGTERM");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`[${target}] bad endpoints are one line and exit 2 in every command`, async () => {
    const cases: [string[], RegExp][] = [
      [["connect", "localhost"], /invalid target "localhost": no port/],
      [["connect", "::1:80"], /write an IPv6 address in brackets/],
      [["connect", "h:1", "2"], /"h:1" already names the target/],
      [["echo", "test", "h:99999"], /port/],
      [["send", "f", "::1:80"], /write an IPv6 address in brackets/],
      [["listen", "9000", "-p", "9001"], /"--port" already says where/],
      [["receive", "--dir", ".", "x"], /invalid address "x": no port/],
      [["echo", "serve", "h:x"], /port/],
    ];
    for (const [args, message] of cases) {
      const run = await runNetdiag(target, args, { timeoutMs: 15_000 });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    }
  });
}

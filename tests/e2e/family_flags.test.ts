/**
 * `-4` / `-6` (`--ipv4` / `--ipv6`) on the commands that resolve a name besides connect and
 * resolve: `send`, `echo test` and `probe` keep one family of the host's addresses (nc's and
 * nmap's meaning), `dns` reaches its server over one family (dig's). Loopback only: servers on
 * 127.0.0.1 and ::1, names from the hosts file (`localhost`).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { lookup } from "node:dns/promises";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { collect, runNetdiag, spawnNetdiag, targets, waitForLine } from "../support/cli.ts";
import { type Dnsmasq, startDnsmasq, testZone } from "../support/dnsmasq.ts";
import { type DatagramSocket, netAdapter } from "../../lib/net/mod.ts";
import { join } from "../support/paths.ts";

/** The families `localhost` resolves to here (the hosts file decides: 4, or 4 and 6). */
async function localhostFamilies(): Promise<Set<number>> {
  const all = await lookup("localhost", { all: true }).catch(() => []);
  return new Set(all.map((a) => a.family));
}

/** A TCP server on `host` that accepts and closes; its port. */
async function tcpServer(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** A netdiag server (deno) on `host`, and the port it reports on `stream`. */
async function netdiagServer(args: string[], host: string, stream: "stdout" | "stderr") {
  const child = spawnNetdiag("deno", [...args, "--host", host]);
  const done = collect(child, { timeoutMs: 120_000 });
  const port = Number(
    await waitForLine(child[stream]!, (l) => /(?:127\.0\.0\.1|\[::1\]):(\d+)/.exec(l)?.[1]),
  );
  return { child, port, done };
}

/** A UDP relay on [::1] to an IPv4 DNS server: `dns -6` needs a server it reaches over IPv6. */
async function ipv6Relay(port: number): Promise<{ socket: DatagramSocket; port: number }> {
  const adapter = await netAdapter();
  const socket = await adapter.bindDatagram({ hostname: "::1", port: 0 });
  void (async () => {
    for (;;) {
      const query = await socket.receive().catch(() => undefined);
      if (!query) return;
      const upstream = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
      await upstream.send(query.data, { hostname: "127.0.0.1", port });
      const reply = await upstream.receive().finally(() => upstream.close());
      await socket.send(reply.data, query.from).catch(() => {});
    }
  })();
  return { socket, port: (socket.addr as { port: number }).port };
}

describe("-4 and -6 on send, echo test, probe and dns", () => {
  let v4: { server: Server; port: number };
  let v6: { server: Server; port: number };
  let dns: Dnsmasq;
  let relay: { socket: DatagramSocket; port: number };
  let dir: string;
  let file: string;
  let families: Set<number>;
  const children: ChildProcess[] = [];

  before(async () => {
    v4 = await tcpServer("127.0.0.1");
    v6 = await tcpServer("::1");
    dns = await startDnsmasq(testZone());
    relay = await ipv6Relay(dns.port);
    dir = await mkdtemp(join(tmpdir(), "netdiag-family-"));
    file = join(dir, "note.txt");
    await writeFile(file, "over one family\n");
    families = await localhostFamilies();
  });

  after(async () => {
    v4?.server.close();
    v6?.server.close();
    relay?.socket.close();
    await dns?.stop();
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const target of targets()) {
    test(`[${target}] probe -4 localhost reaches 127.0.0.1, -6 [::1] reaches ::1`, async () => {
      const r4 = await runNetdiag(target, ["probe", "-4", `localhost:${v4.port}`, "--json"]);
      assert.equal(r4.code, 0, r4.stderr);
      assert.equal(JSON.parse(r4.stdout).results[0].address, "127.0.0.1");
      const r6 = await runNetdiag(target, ["probe", "--ipv6", `[::1]:${v6.port}`, "--json"]);
      assert.equal(r6.code, 0, r6.stderr);
      assert.equal(JSON.parse(r6.stdout).results[0].address, "::1");
    });

    test(`[${target}] probe -6 refuses an IPv4 literal and an IPv4 block (exit 2)`, async () => {
      for (const t of [`127.0.0.1:${v4.port}`, "127.0.0.0/30:1"]) {
        const r = await runNetdiag(target, ["probe", "-6", t]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(
          r.stderr,
          /^netdiag: cannot (use "127\.0\.0\.1": not an IPv6|probe ".*" with -6)/,
        );
      }
    });

    test(`[${target}] echo test -4 localhost and -6 ::1 reach the server of that family`, async () => {
      const s4 = await netdiagServer(["echo", "serve", "0"], "127.0.0.1", "stdout");
      const s6 = await netdiagServer(["echo", "serve", "0"], "::1", "stdout");
      children.push(s4.child, s6.child);
      try {
        const r4 = await runNetdiag(target, [
          "echo",
          "test",
          "-4",
          "localhost",
          String(s4.port),
          "-c",
          "3",
          "--json",
        ]);
        assert.equal(r4.code, 0, r4.stderr);
        assert.equal(JSON.parse(r4.stdout).summary.target, `127.0.0.1:${s4.port}`);
        const r6 = await runNetdiag(target, [
          "echo",
          "test",
          "-6",
          "-u",
          `[::1]:${s6.port}`,
          "-c",
          "3",
          "--json",
        ]);
        assert.equal(r6.code, 0, r6.stderr);
        assert.equal(JSON.parse(r6.stdout).summary.target, `[::1]:${s6.port}`);
        assert.equal(JSON.parse(r6.stdout).summary.messagesVerified, 3);
      } finally {
        s4.child.kill("SIGTERM");
        s6.child.kill("SIGTERM");
        await Promise.all([s4.done, s6.done]);
      }
    });

    test(`[${target}] send -4 localhost and -6 [::1] deliver to the receiver of that family`, async () => {
      for (const [flag, host, to] of [["-4", "127.0.0.1", "localhost"], ["-6", "::1", "[::1]"]]) {
        const into = await mkdtemp(join(dir, "rx-"));
        const rx = await netdiagServer(
          ["receive", "--dir", into, "--port", "0", "--once"],
          host,
          "stderr",
        );
        children.push(rx.child);
        const r = await runNetdiag(target, ["send", flag, file, `${to}:${rx.port}`, "--json"]);
        const received = await rx.done;
        assert.equal(r.code, 0, r.stderr);
        assert.equal(received.code, 0, received.stderr);
        assert.equal(JSON.parse(r.stdout).summary.address, host);
      }
    });

    test(`[${target}] a name with no address of the family is one line, exit 3, as connect`, async (t) => {
      const missing = [4, 6].find((f) => !families.has(f));
      if (missing === undefined) return t.skip("localhost has IPv4 and IPv6 addresses here");
      const flag = `-${missing}`;
      const why = new RegExp(`^netdiag: cannot resolve "localhost": no IPv${missing} address\\n$`);
      for (
        const args of [
          ["connect", flag, "localhost", String(v4.port)],
          ["probe", flag, `localhost:${v4.port}`],
          ["echo", "test", flag, `localhost:${v4.port}`],
          ["send", flag, file, `localhost:${v4.port}`],
        ]
      ) {
        const r = await runNetdiag(target, args);
        assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, why, args.join(" "));
      }
    });

    test(`[${target}] a literal of the other family is bad input (exit 2)`, async () => {
      for (
        const args of [
          ["send", "-4", file, `[::1]:${v6.port}`],
          ["echo", "test", "-4", `[::1]:${v6.port}`],
          ["probe", "-4", `[::1]:${v6.port}`],
          ["send", "-6", file, "./receiver.sock"],
          ["echo", "test", "-6", "./echo.sock"],
        ]
      ) {
        const r = await runNetdiag(target, args);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        assert.match(r.stderr, /^netdiag: (cannot use "::1": not an IPv4|"--ipv6" does not apply)/);
      }
    });

    test(`[${target}] -4 with -6 is a declared conflict on every command (exit 2)`, async () => {
      for (
        const args of [
          ["dns", "host.test"],
          ["send", file, "9"],
          ["echo", "test", "9"],
          ["probe", "127.0.0.1:9"],
        ]
      ) {
        const r = await runNetdiag(target, [...args, "-4", "-6"]);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(r.stderr, /conflicting flags "--ipv4" and "--ipv6": choose one family/);
      }
    });

    test(`[${target}] dns -4 and -6 ask over that family, as dig's do`, async () => {
      const r4 = await runNetdiag(target, [
        "dns",
        "-4",
        "--server",
        dns.server,
        "host.test",
        "--json",
      ]);
      assert.equal(r4.code, 0, r4.stderr);
      assert.equal(JSON.parse(r4.stdout).results[0].server.family, 4);
      const r6 = await runNetdiag(target, [
        "dns",
        "-6",
        "--server",
        `[::1]:${relay.port}`,
        "host.test",
        "--json",
      ]);
      assert.equal(r6.code, 0, r6.stderr);
      const result = JSON.parse(r6.stdout).results[0];
      assert.deepEqual([result.server.address, result.server.family], ["::1", 6]);
      assert.equal(result.answers[0].data, "10.0.0.2");
    });

    test(`[${target}] dns -6 with an IPv4 --server is bad input (exit 2)`, async () => {
      const r = await runNetdiag(target, ["dns", "-6", "--server", dns.server, "host.test"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^netdiag: cannot use DNS server "127\.0\.0\.1": not an IPv6 address\n$/,
      );
    });
  }
});

/**
 * A real DNS server for tests: dnsmasq (Debian package dnsmasq-base) on 127.0.0.1 on a free
 * port, answering only from the configuration the test writes (no upstream, no /etc/hosts).
 * Missing dnsmasq is a test failure naming the package, never a skip.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { DnsClient } from "../../lib/net/dns_client.ts";
import { join } from "./paths.ts";
import { freePort } from "./ports.ts";

/** A running dnsmasq. */
export interface Dnsmasq {
  /** The UDP and TCP port it listens on (127.0.0.1). */
  readonly port: number;
  /** `127.0.0.1:PORT`, for `--server`. */
  readonly server: string;
  /** Stops dnsmasq and removes its configuration. */
  stop(): Promise<void>;
}

const CANDIDATES = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"];

/** The dnsmasq binary; throws, naming the Debian package, when it is not installed. */
export function dnsmasqPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      "dnsmasq is not installed: the DNS tests need it (Debian/Ubuntu: " +
        "`apt-get install dnsmasq-base`; .ci/run installs it)",
    );
  }
  return found;
}

async function waitReady(child: ChildProcess, port: number, log: () => string) {
  const client = await DnsClient.open({ hostname: "127.0.0.1", port }, { timeoutMs: 200 });
  try {
    for (let i = 0; i < 50; i++) {
      if (child.exitCode !== null) return false;
      const probe = await client.query("ready.invalid", "A");
      if (probe.status !== "TIMEOUT" && probe.status !== "UNREACHABLE") return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`dnsmasq did not answer on 127.0.0.1:${port} within 10 s: ${log()}`);
  } finally {
    client.close();
  }
}

/**
 * Starts dnsmasq with these configuration lines (dnsmasq.conf syntax: `address=`, `cname=`,
 * `txt-record=`, …) and waits until it answers. Stop it with {@link Dnsmasq.stop}.
 */
export async function startDnsmasq(config: readonly string[]): Promise<Dnsmasq> {
  const binary = dnsmasqPath();
  const dir = await mkdtemp(join(tmpdir(), "netdiag-dnsmasq-"));
  const confFile = join(dir, "dnsmasq.conf");
  await writeFile(confFile, config.join("\n") + "\n");
  let lastLog = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(binary, [
      "--keep-in-foreground",
      "--no-resolv",
      "--no-hosts",
      "--no-poll",
      `--conf-file=${confFile}`,
      `--port=${port}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--user=root",
      "--pid-file",
      "--log-facility=-",
    ], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout!.on("data", (c) => (log += String(c)));
    child.stderr!.on("data", (c) => (log += String(c)));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.once("error", (e) => (log += String(e)));
    if (await waitReady(child, port, () => log)) {
      return {
        port,
        server: `127.0.0.1:${port}`,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    lastLog = log;
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`dnsmasq would not start: ${lastLog}`);
}

/** The zone the DNS tests use: every record type netdiag prints, a CNAME chain, a big TXT. */
export function testZone(): string[] {
  const big = "x".repeat(200);
  return [
    "local=/test/",
    "local=/10.in-addr.arpa/",
    "local-ttl=300",
    "host-record=host.test,10.0.0.2,fd00::2",
    "host-record=multi.test,10.0.0.3",
    "host-record=multi.test,10.0.0.4",
    "host-record=v6only.test,fd00::6",
    "cname=alias1.test,alias2.test",
    "cname=alias2.test,host.test",
    "mx-host=mx.test,mail.test,10",
    'txt-record=txt.test,"first string","second string"',
    "srv-host=_sip._tcp.srv.test,sip.test,5060,10,20",
    "ptr-record=1.0.0.127.in-addr.arpa,loopback-ptr.test",
    "caa-record=caa.test,0,issue,letsencrypt.org",
    'naptr-record=naptr.test,100,10,"U","E2U+sip","!^.*$!sip:info@example.test!",.',
    ...Array.from({ length: 10 }, (_, i) => `txt-record=big.test,"${i}${big}"`),
  ];
}

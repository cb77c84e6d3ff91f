/**
 * The real blackbox_exporter (Debian package `prometheus-blackbox-exporter`) for side-by-side
 * tests: started on a free loopback port with the test's blackbox.yml. Missing, it is a test
 * failure naming the package, never a skip.
 */
import { installedTool } from "./installed_tool.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { closedPort } from "./http_servers.ts";

/** A running blackbox_exporter. */
export interface Blackbox {
  readonly base: string;
  stop(): Promise<void>;
}

const CANDIDATES = ["/usr/bin/prometheus-blackbox-exporter", "/usr/local/bin/blackbox_exporter"];

/** The blackbox_exporter binary; throws, naming the Debian package, when it is not installed. */
export function blackboxPath(): string {
  return installedTool("blackbox_exporter", CANDIDATES, "prometheus-blackbox-exporter");
}

/** Starts blackbox_exporter with `configFile` and waits until it answers /-/healthy. */
export async function startBlackbox(configFile: string): Promise<Blackbox> {
  const port = await closedPort();
  const child: ChildProcess = spawn(blackboxPath(), [
    `--config.file=${configFile}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=warn",
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (c) => (log += String(c)));
  child.stderr!.on("data", (c) => (log += String(c)));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  for (let i = 0;; i++) {
    if (child.exitCode !== null) throw new Error(`blackbox_exporter exited: ${log}`);
    const ok = await fetch(`${base}/-/healthy`).then((r) => (r.body?.cancel(), r.ok), () => false);
    if (ok) break;
    if (i >= 100) {
      await stop();
      throw new Error(`blackbox_exporter not ready within 10 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop };
}

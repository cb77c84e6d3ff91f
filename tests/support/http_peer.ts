/**
 * A real peer with an HTTP readiness endpoint (Prometheus, blackbox_exporter), started on a
 * free loopback port and waited for; stopped with SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closedPort } from "./ports.ts";

/** A running peer: its base URL and how to stop it. */
export interface HttpPeer {
  readonly base: string;
  stop(): Promise<void>;
}

/** Options of {@link startHttpPeer}. */
export interface HttpPeerOptions {
  /** The name in error messages. */
  readonly name: string;
  readonly binary: string;
  /** Its arguments for `--web.listen-address=127.0.0.1:PORT`'s port. */
  readonly args: (port: number) => string[];
  /** The path that answers 200 once it is ready, e.g. `/-/ready`. */
  readonly readyPath: string;
  /** How long to wait for it, in seconds. */
  readonly readySeconds: number;
  /** Runs after it exited on stop (removing its files, say). */
  readonly cleanup?: () => Promise<void>;
}

/** Starts the peer and resolves once `readyPath` answers; rejects with its output otherwise. */
export async function startHttpPeer(options: HttpPeerOptions): Promise<HttpPeer> {
  const { name } = options;
  const port = await closedPort();
  const child: ChildProcess = spawn(options.binary, options.args(port), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (c) => (log += String(c)));
  child.stderr!.on("data", (c) => (log += String(c)));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    await options.cleanup?.();
  };
  for (let i = 0;; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${name} exited: ${log}`);
    }
    const url = `${base}${options.readyPath}`;
    const ready = await fetch(url).then((r) => (r.body?.cancel(), r.ok), () => false);
    if (ready) break;
    if (i >= options.readySeconds * 10) {
      await stop();
      throw new Error(`${name} not ready within ${options.readySeconds} s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop };
}

/**
 * `netdiag exporter` for end-to-end tests: started on a free loopback port with a config the test
 * writes, its base URL read from the "listening http ADDR:PORT" line, stopped with a signal.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { collect, type RunResult, spawnNetdiag, type Target, waitForLine } from "./cli.ts";

/** A running `netdiag exporter`. */
export interface RunningExporter {
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** The config file it was started with (rewrite it, then reload). */
  readonly configFile: string;
  /** GETs `path` (with headers) and returns status, content type and body. */
  get(path: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** POSTs to `path`. */
  post(path: string): Promise<HttpAnswer>;
  /** Sends `signal` to the exporter (SIGHUP: reload). */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<RunResult>;
}

/** An HTTP answer, read whole. */
export interface HttpAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

/** Writes `config` (blackbox.yml text) to a temp dir: the file and a cleanup. */
export function writeConfig(config: string): { file: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-exporter-"));
  const file = join(dir, "blackbox.yml");
  writeFileSync(file, config);
  return { file, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** GETs a URL; the whole body as text. */
export async function httpGet(
  url: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<HttpAnswer> {
  const res = await fetch(url, { headers, method });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: await res.text(),
  };
}

/**
 * Starts `netdiag exporter --config FILE --listen 127.0.0.1:0 …args` as `target` and waits for
 * its listening line.
 */
export async function startExporter(
  target: Target,
  configFile: string,
  args: readonly string[] = [],
): Promise<RunningExporter> {
  const child = spawnNetdiag(target, [
    "exporter",
    "--config",
    configFile,
    "--listen",
    "127.0.0.1:0",
    ...args,
  ]);
  const finished = collect(child, { timeoutMs: 120_000 });
  let port: number;
  try {
    port = await waitForLine(child.stdout!, (line) => {
      const m = /^listening http 127\.0\.0\.1:(\d+)$/.exec(line);
      return m ? Number(m[1]) : undefined;
    }, 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    const r = await finished;
    throw new Error(`exporter did not start: ${(error as Error).message}; stderr: ${r.stderr}`);
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    port,
    child,
    configFile,
    get: (path, headers) => httpGet(base + path, headers),
    post: (path) => httpGet(base + path, {}, "POST"),
    signal: (signal) => process.kill(child.pid!, signal),
    stop(signal = "SIGTERM") {
      // process.kill, not child.kill: Deno's child.kill may end the child before its handler runs.
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      return finished;
    },
  };
}

/** The value of the sample `name` (exact series text, e.g. `probe_success`) in exposition text. */
export function sampleValue(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    if (line.slice(0, space) === series) return Number(line.slice(space + 1));
  }
  return undefined;
}

/** The series (name and labels, without values) of exposition text, sorted. */
export function seriesOf(text: string): string[] {
  return text.split("\n").filter((l) => l && !l.startsWith("#"))
    .map((l) => l.slice(0, l.lastIndexOf(" "))).sort();
}

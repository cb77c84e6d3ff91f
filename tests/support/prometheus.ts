/**
 * The real Prometheus (Debian package `prometheus`) for end-to-end tests: started on a free
 * loopback port with a temp storage dir and a config the test writes, queried through its HTTP
 * API. Missing Prometheus is a test failure naming the package, never a skip.
 */
import { installedTool } from "./installed_tool.ts";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHttpPeer } from "./http_peer.ts";

/** A running Prometheus. */
export interface Prometheus {
  readonly base: string;
  /** Runs an instant query: the result vector's labels and values. */
  query(expr: string): Promise<Array<{ labels: Record<string, string>; value: number }>>;
  /** Stops Prometheus and removes its storage and config. */
  stop(): Promise<void>;
}

const CANDIDATES = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"];

/** The prometheus binary; throws, naming the Debian package, when it is not installed. */
export function prometheusPath(): string {
  return installedTool("prometheus", CANDIDATES, "prometheus");
}

/**
 * A scrape job with the standard blackbox relabeling: each target becomes `__param_target` and
 * `instance`, and the scrape goes to the exporter at `exporter` (`host:port`).
 */
export function blackboxJob(options: {
  job: string;
  module: string;
  targets: readonly string[];
  exporter: string;
  labels?: Record<string, string>;
}): string {
  const labels = Object.entries(options.labels ?? {}).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `  - job_name: ${JSON.stringify(options.job)}
    metrics_path: /probe
    params:
      module: [${JSON.stringify(options.module)}]
    static_configs:
      - targets: [${options.targets.map((t) => JSON.stringify(t)).join(", ")}]
        labels: {${labels.join(", ")}}
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: ${JSON.stringify(options.exporter)}
`;
}

/** Starts Prometheus with these scrape jobs, scraping every second, and waits until it is ready. */
export async function startPrometheus(jobs: readonly string[]): Promise<Prometheus> {
  const binary = prometheusPath();
  const dir = await mkdtemp(join(tmpdir(), "netdiag-prometheus-"));
  const configFile = join(dir, "prometheus.yml");
  await writeFile(
    configFile,
    "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n" +
      "scrape_configs:\n" + jobs.join(""),
  );
  const { base, stop } = await startHttpPeer({
    name: "prometheus",
    binary,
    args: (port) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    readyPath: "/-/ready",
    readySeconds: 15,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  });
  return {
    base,
    async query(expr) {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = await res.json() as {
        status: string;
        data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
        error?: string;
      };
      if (body.status !== "success") throw new Error(`query ${expr}: ${body.error}`);
      return body.data!.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}

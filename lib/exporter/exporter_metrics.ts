/**
 * The exporter's own metrics (`/metrics`): blackbox_exporter's config-reload gauges and unknown
 * module counter under its names, and netdiag's own under `netdiag_exporter_*` (probes in flight,
 * probes by module and result, rejected requests, build info), plus the standard `process_*`
 * gauges Prometheus client libraries export.
 * @module
 */
import process from "node:process";
import { BUILD_INFO } from "../build_info.ts";
import { runtimeName, runtimeVersion } from "../runtime/runtime.ts";
import { VERSION } from "../version.ts";
import type { MetricFamily, Sample } from "./types.ts";

/** Why the exporter refused a probe request. */
export type RejectReason = "bad_request" | "forbidden" | "busy";

/** What the exporter has counted since it started. */
export interface ExporterCounters {
  /** Whether the last (re)load of the config succeeded. */
  reloadSuccessful: boolean;
  /** When the config was last loaded successfully, in seconds since the epoch. */
  lastReloadSuccessSeconds: number;
  /** Probe requests that named a module the config does not have. */
  moduleUnknownTotal: number;
  /** Probes running now. */
  inFlight: number;
  /** Finished probes by module: how many succeeded and failed. */
  readonly probes: Map<string, { success: number; failure: number }>;
  /** Probe requests refused, by reason. */
  readonly rejected: Record<RejectReason, number>;
  /** When the exporter started, in seconds since the epoch. */
  readonly startSeconds: number;
}

/** Fresh counters: nothing counted, the config loaded now. */
export function newCounters(nowMs = Date.now()): ExporterCounters {
  return {
    reloadSuccessful: true,
    lastReloadSuccessSeconds: nowMs / 1000,
    moduleUnknownTotal: 0,
    inFlight: 0,
    probes: new Map(),
    rejected: { bad_request: 0, forbidden: 0, busy: 0 },
    startSeconds: nowMs / 1000,
  };
}

/** Counts one finished probe of `module`. */
export function countProbe(counters: ExporterCounters, module: string, success: boolean): void {
  let entry = counters.probes.get(module);
  if (!entry) counters.probes.set(module, entry = { success: 0, failure: 0 });
  if (success) entry.success++;
  else entry.failure++;
}

/** Totals over every module: probes, succeeded, failed. */
export function probeTotals(
  counters: ExporterCounters,
): { probes: number; succeeded: number; failed: number } {
  let succeeded = 0, failed = 0;
  for (const e of counters.probes.values()) {
    succeeded += e.success;
    failed += e.failure;
  }
  return { probes: succeeded + failed, succeeded, failed };
}

const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({
  name,
  help,
  type: "gauge",
  samples,
});
const counter = (name: string, help: string, samples: Sample[]): MetricFamily => ({
  name,
  help,
  type: "counter",
  samples,
});

/** The families `/metrics` shows, sorted by name as Prometheus client libraries write them. */
export function exporterFamilies(counters: ExporterCounters): MetricFamily[] {
  const probeSamples: Sample[] = [];
  for (const [module, e] of [...counters.probes].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    probeSamples.push({ labels: { module, result: "failure" }, value: e.failure });
    probeSamples.push({ labels: { module, result: "success" }, value: e.success });
  }
  const cpu = process.cpuUsage();
  const families: MetricFamily[] = [
    gauge(
      "blackbox_exporter_config_last_reload_success_timestamp_seconds",
      "Timestamp of the last successful configuration reload.",
      [{ value: counters.lastReloadSuccessSeconds }],
    ),
    gauge(
      "blackbox_exporter_config_last_reload_successful",
      "Blackbox exporter config loaded successfully.",
      [{ value: counters.reloadSuccessful ? 1 : 0 }],
    ),
    counter("blackbox_module_unknown_total", "Count of unknown modules requested by probes", [
      { value: counters.moduleUnknownTotal },
    ]),
    gauge(
      "netdiag_exporter_build_info",
      "A metric with a constant '1' value labeled by the netdiag version, commit and runtime.",
      [{
        labels: {
          version: VERSION,
          revision: BUILD_INFO?.commit ?? "source",
          runtime: `${runtimeName} ${runtimeVersion()}`,
        },
        value: 1,
      }],
    ),
    gauge("netdiag_exporter_probes_in_flight", "Probes running now.", [
      { value: counters.inFlight },
    ]),
    counter("netdiag_exporter_probes_total", "Finished probes by module and result.", probeSamples),
    counter(
      "netdiag_exporter_requests_rejected_total",
      "Probe requests refused: bad_request (400), forbidden (403, --allow-target), busy (503).",
      (Object.keys(counters.rejected) as RejectReason[]).sort().map((reason) => ({
        labels: { reason },
        value: counters.rejected[reason],
      })),
    ),
    counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", [
      { value: (cpu.user + cpu.system) / 1e6 },
    ]),
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", [
      { value: process.memoryUsage.rss() },
    ]),
    gauge(
      "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.",
      [{ value: counters.startSeconds }],
    ),
  ];
  return families;
}

/**
 * `netdiag exporter`: the command's flags, help and loader. Light: the server (lib/exporter/)
 * loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { conflictsHelp } from "../../flag_conflicts.ts";
import { EXPORTER_CONFLICTS, exporterFlags } from "./flags.ts";

/** `netdiag exporter`: blackbox_exporter's HTTP API, probing with netdiag's checks. */
export const exporterCommand = buildCommand({
  loader: async () =>
    documented(
      "exporter",
      (await import("./run.ts")).exporterCommand,
      EXPORTER_CONFLICTS,
    ),
  parameters: { flags: exporterFlags, aliases: {} },
  docs: {
    brief: "Serve probes to Prometheus as blackbox_exporter does (same API, config, metrics)",
    fullDescription:
      "Loads a blackbox.yml (modules of the http, tcp and dns probers; a key netdiag does not " +
      "support is an error naming the module and key) and serves blackbox_exporter's HTTP " +
      "API: GET /probe?target=…&module=… (default module http_2xx; &debug=true shows the " +
      "probe's log and metrics; &hostname= sets the Host header), /metrics (the exporter's " +
      "own), /-/healthy, POST /-/reload (SIGHUP too; a bad config keeps the old one), /config. " +
      "The probe timeout is Prometheus's X-Prometheus-Scrape-Timeout-Seconds minus " +
      "--timeout-offset, capped by the module's timeout (120 s without either). Metric names " +
      "are blackbox_exporter's; netdiag's extras are netdiag_* series.\n" +
      "Safety: listening beyond loopback needs --allow-target (targets outside it get 403) or " +
      "--allow-any-target; --max-concurrent bounds the probes running at once. Prints " +
      '"listening http ADDR:PORT" on stdout; SIGINT/SIGTERM stop it, print totals and exit 0.\n' +
      "Exit codes: 0 stopped cleanly (or --check-config: valid), 2 bad input or a bad config, " +
      "3 cannot listen.\n" +
      conflictsHelp(EXPORTER_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag exporter --config blackbox.yml\n" +
      "  netdiag exporter --config blackbox.yml --check-config\n" +
      "  netdiag exporter --listen :9115 --allow-target 10.0.0.0/8 --allow-target '*.internal'\n" +
      "  curl 'http://127.0.0.1:9115/probe?target=example.com&module=http_2xx&debug=true'",
  },
});

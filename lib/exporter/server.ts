/**
 * The exporter's HTTP server: blackbox_exporter's API (server_routes.ts) over lib/net's HTTP
 * server, with the loaded config, its reloads and the counters `/metrics` shows.
 * @module
 */
import { type HttpAddress, serveHttp } from "../net/http_server.ts";
import type { NetAdapter } from "../net/types.ts";
import type { AllowEntry } from "./allow_list.ts";
import { type ExporterCounters, newCounters, probeTotals } from "./exporter_metrics.ts";
import { probeGate } from "./server_gate.ts";
import { exporterRoutes } from "./server_routes.ts";
import type { ExporterConfig } from "./types.ts";

/** Options of {@link startExporter}. */
export interface ExporterOptions {
  /** Address to listen on; default 127.0.0.1. */
  readonly hostname?: string;
  /** Port to listen on (0 picks one); default 9115. */
  readonly port?: number;
  /** The config loaded at start. */
  readonly config: ExporterConfig;
  /** Loads the config again, for `POST /-/reload` and SIGHUP; throws when it cannot. */
  readonly loadConfig: () => Promise<ExporterConfig>;
  /** Targets allowed; undefined allows any target. */
  readonly allowList?: readonly AllowEntry[];
  /** Seconds taken off the scrape timeout header; default 0.5, as blackbox_exporter. */
  readonly timeoutOffsetSeconds?: number;
  /** Most probes at once; more wait (at most their timeout), then get 503. Default 100. */
  readonly maxConcurrent?: number;
}

/** Hooks of a running exporter. */
export interface ExporterHooks {
  /** A reload finished: `error` says why it failed, undefined when it loaded. */
  readonly onReload?: (error: string | undefined) => void;
}

/** What the exporter did, reported when it stops. */
export interface ExporterTotals {
  readonly probes: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly unknownModule: number;
  readonly rejected: number;
  readonly reloads: number;
  readonly failedReloads: number;
}

/** A running exporter. */
export interface RunningExporter {
  readonly addr: HttpAddress;
  /** Loads the config again; resolves to the error message, or undefined when it loaded. */
  reload(): Promise<string | undefined>;
  /** The counters, as `/metrics` shows them. */
  readonly counters: ExporterCounters;
  /** Resolves with the totals once the server has stopped (`signal` aborted). */
  readonly done: Promise<ExporterTotals>;
}

/** Default `--listen` port, blackbox_exporter's. */
export const DEFAULT_EXPORTER_PORT = 9115;

/**
 * Starts the exporter on `hostname:port` until `signal` is aborted. Rejects with a NetError when
 * the address cannot be bound.
 */
export async function startExporter(
  adapter: NetAdapter,
  options: ExporterOptions,
  hooks: ExporterHooks = {},
  signal: AbortSignal,
): Promise<RunningExporter> {
  let config = options.config;
  const counters = newCounters();
  let reloads = 0, failedReloads = 0;
  let reloading: Promise<string | undefined> | undefined;
  const reloadOnce = async (): Promise<string | undefined> => {
    reloads++;
    try {
      config = await options.loadConfig();
      counters.reloadSuccessful = true;
      counters.lastReloadSuccessSeconds = Date.now() / 1000;
      hooks.onReload?.(undefined);
      return undefined;
    } catch (error) {
      failedReloads++;
      counters.reloadSuccessful = false;
      const message = error instanceof Error ? error.message : String(error);
      hooks.onReload?.(message);
      return message;
    }
  };
  // One reload at a time: a second request while one runs gets the same answer.
  const reload = () => {
    reloading ??= reloadOnce().finally(() => (reloading = undefined));
    return reloading;
  };
  const handler = exporterRoutes({
    adapter,
    config: () => config,
    counters,
    gate: probeGate({ max: options.maxConcurrent ?? 100 }),
    allowList: options.allowList,
    timeoutOffsetSeconds: options.timeoutOffsetSeconds ?? 0.5,
    signal,
    reload,
  });
  const server = await serveHttp({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? DEFAULT_EXPORTER_PORT,
    signal,
    handler,
  });
  const done = server.finished.then((): ExporterTotals => {
    const r = counters.rejected;
    return {
      ...probeTotals(counters),
      unknownModule: counters.moduleUnknownTotal,
      rejected: r.bad_request + r.busy + r.forbidden,
      reloads,
      failedReloads,
    };
  });
  return { addr: server.addr, reload, counters, done };
}

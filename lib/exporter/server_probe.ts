/**
 * `GET /probe?target=…&module=…[&hostname=…][&debug=true]`: blackbox_exporter's probe endpoint,
 * with its answers for a missing target (400 "Target parameter is missing") and an unknown module
 * (400 `Unknown module "x"`), its timeout rule and its debug page; plus netdiag's bounds (query
 * sizes, the target allow-list, concurrent probes).
 * @module
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { textResponse } from "../net/http_server.ts";
import type { NetAdapter } from "../net/types.ts";
import { type AllowEntry, hostAllowed, targetHost } from "./allow_list.ts";
import { countProbe, type ExporterCounters, type RejectReason } from "./exporter_metrics.ts";
import { writeExposition } from "./exposition.ts";
import { runProbe } from "./probe.ts";
import type { ProbeGate } from "./server_gate.ts";
import type { ExporterConfig, MetricFamily, Module, ProbeOutcome } from "./types.ts";

/** The content type of the Prometheus text format, as blackbox_exporter sends it. */
export const EXPOSITION_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The default module when the request names none, as blackbox_exporter has it. */
export const DEFAULT_MODULE = "http_2xx";

/** Without a scrape timeout header and a module timeout: 120 s, as blackbox_exporter. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

const MAX_TARGET = 2048;
const MAX_NAME = 256;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What the probe endpoint needs from the server. */
export interface ProbeContext {
  readonly adapter: NetAdapter;
  readonly config: () => ExporterConfig;
  readonly counters: ExporterCounters;
  readonly gate: ProbeGate;
  /** undefined: any target. */
  readonly allowList?: readonly AllowEntry[];
  /** Seconds taken off the scrape timeout (`--timeout-offset`). */
  readonly timeoutOffsetSeconds: number;
  /** Aborted when the server shuts down. */
  readonly signal: AbortSignal;
}

/**
 * The probe's timeout in seconds, as blackbox_exporter computes it: the scrape timeout header
 * (120 s without one, or when it is 0) minus `offset`, or the module's `timeout` when that is
 * set and shorter (or when the offset leaves nothing). Never below 10 ms.
 */
export function probeTimeoutSeconds(
  scrapeTimeout: number | undefined,
  moduleTimeoutSeconds: number,
  offset: number,
): number {
  const scrape = scrapeTimeout || DEFAULT_TIMEOUT_SECONDS;
  const max = scrape - offset;
  const chosen = (moduleTimeoutSeconds > 0 && moduleTimeoutSeconds < max) || max < 0
    ? moduleTimeoutSeconds
    : max;
  return Math.max(chosen, 0.01);
}

/** An error answer as Go's http.Error writes it: the text, a newline, nosniff. */
function httpError(status: number, text: string): Response {
  return textResponse(status, `${text}\n`, { "x-content-type-options": "nosniff" });
}

function reject(ctx: ProbeContext, reason: RejectReason, status: number, text: string): Response {
  ctx.counters.rejected[reason]++;
  return httpError(status, text);
}

/** Go's `%q` for the texts it applies to here (printable ASCII as is, the rest escaped). */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** A logfmt value: bare when it can be, quoted otherwise. */
function logValue(value: string | number): string {
  const text = String(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/** ` a=1 err=no route` → ` a=1 err="no route"`: each value up to the next ` key=`, quoted as needed. */
function logPairs(text: string): string {
  const parts = text.split(/\s([a-z_]+)=/);
  let out = "";
  for (let i = 1; i + 1 < parts.length; i += 2) out += ` ${parts[i]}=${logValue(parts[i + 1])}`;
  return out;
}

/** Answers one `/probe` request. */
export async function handleProbe(ctx: ProbeContext, req: Request, url: URL): Promise<Response> {
  const params = url.searchParams;
  const moduleName = params.get("module") || DEFAULT_MODULE;
  if (moduleName.length > MAX_NAME) {
    return reject(ctx, "bad_request", 400, `Module name longer than ${MAX_NAME} characters`);
  }
  const config = ctx.config();
  const module = config.modules.get(moduleName);
  if (!module) {
    ctx.counters.moduleUnknownTotal++;
    return httpError(400, `Unknown module ${goQuote(moduleName)}`);
  }
  const header = req.headers.get("x-prometheus-scrape-timeout-seconds");
  if (header !== null && header !== "" && !FLOAT.test(header.trim())) {
    return reject(
      ctx,
      "bad_request",
      400,
      `Failed to parse timeout from Prometheus header: ${
        goQuote(header.slice(0, 64))
      } is no number`,
    );
  }
  const target = params.get("target") ?? "";
  if (target === "") return httpError(400, "Target parameter is missing");
  const hostname = params.get("hostname") ?? undefined;
  const bad = badInput(target, hostname);
  if (bad) return reject(ctx, "bad_request", 400, bad);
  if (ctx.allowList) {
    const host = targetHost(module.prober, target);
    if (host === undefined || !hostAllowed(ctx.allowList, host)) {
      const why = host === undefined
        ? "it has no host"
        : `host ${goQuote(host)} is not in --allow-target`;
      return reject(ctx, "forbidden", 403, `Target ${goQuote(target)} is not allowed: ${why}`);
    }
  }
  const seconds = probeTimeoutSeconds(
    header ? Number(header) : undefined,
    module.timeoutMs / 1000,
    ctx.timeoutOffsetSeconds,
  );
  return await gatedProbe(ctx, { target, module, hostname, seconds, config, url });
}

/** Why the target or hostname parameter is refused, or undefined. */
function badInput(target: string, hostname: string | undefined): string | undefined {
  if (target.length > MAX_TARGET) return `Target parameter longer than ${MAX_TARGET} characters`;
  // deno-lint-ignore no-control-regex
  const control = /[\x00-\x1f\x7f]/;
  if (control.test(target)) return "Target parameter contains control characters";
  if (hostname !== undefined && (hostname.length > MAX_NAME || control.test(hostname))) {
    return "Hostname parameter is too long or contains control characters";
  }
  return undefined;
}

interface Planned {
  readonly target: string;
  readonly module: Module;
  readonly hostname?: string;
  readonly seconds: number;
  readonly config: ExporterConfig;
  readonly url: URL;
}

async function gatedProbe(ctx: ProbeContext, plan: Planned): Promise<Response> {
  const started = performance.now();
  // Not req.signal: under Deno it also aborts after a successful response (and warns).
  const signal = ctx.signal;
  if (!await ctx.gate.acquire(plan.seconds * 1000, signal)) {
    return reject(
      ctx,
      "busy",
      503,
      `Too many concurrent probes: ${ctx.gate.running} running, ${ctx.gate.waiting} waiting`,
    );
  }
  const remainingMs = Math.max(10, plan.seconds * 1000 - (performance.now() - started));
  const debug = plan.url.searchParams.get("debug") === "true";
  const lines: string[] = [];
  const log = (level: string, message: string, extra = "") => {
    // A prober's message may end in logfmt pairs: `Resolved target address ip=127.0.0.1`.
    const pairs = /\s[a-z_]+=\S/.exec(message);
    const msg = pairs ? message.slice(0, pairs.index) : message;
    const rest = pairs ? logPairs(message.slice(pairs.index)) : "";
    lines.push(
      `ts=${new Date().toISOString()} module=${logValue(plan.module.name)} ` +
        `target=${logValue(plan.target)} level=${level} msg=${logValue(msg)}${rest}${extra}\n`,
    );
  };
  ctx.counters.inFlight++;
  let outcome: ProbeOutcome;
  try {
    if (debug) {
      log(
        "info",
        "Beginning probe",
        ` probe=${plan.module.prober} timeout_seconds=${Math.round(remainingMs) / 1000}`,
      );
    }
    outcome = await runProbe(
      ctx.adapter,
      {
        target: plan.target,
        module: plan.module,
        hostname: plan.hostname,
        timeoutMs: remainingMs,
      },
      debug ? { log: (m) => log("info", m) } : {},
      signal,
    );
  } finally {
    ctx.counters.inFlight--;
    ctx.gate.release();
  }
  countProbe(ctx.counters, plan.module.name, outcome.success);
  const families = probeFamilies(outcome);
  if (!debug) {
    return new Response(writeExposition(families), {
      headers: { "content-type": EXPOSITION_TYPE },
    });
  }
  const end = ` duration_seconds=${roundNs(outcome.durationSeconds)}`;
  if (outcome.success) log("info", "Probe succeeded", end);
  else log("error", "Probe failed", end);
  return textResponse(200, debugText(lines, families, plan));
}

/** Seconds rounded to whole nanoseconds, as Go's durations are (no float noise from `-`). */
function roundNs(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e9;
}

/** The probe's families with `probe_success` and `probe_duration_seconds`, sorted by name. */
export function probeFamilies(outcome: ProbeOutcome): MetricFamily[] {
  return [
    {
      name: "probe_success",
      help: "Displays whether or not the probe was a success",
      type: "gauge",
      samples: [{ value: outcome.success ? 1 : 0 }],
    } as MetricFamily,
    {
      name: "probe_duration_seconds",
      help: "Returns how long the probe took to complete in seconds",
      type: "gauge",
      samples: [{ value: roundNs(outcome.durationSeconds) }],
    } as MetricFamily,
    ...outcome.families,
  ].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The debug page, laid out as blackbox_exporter's: logs, metrics, module configuration. */
function debugText(lines: readonly string[], families: MetricFamily[], plan: Planned): string {
  return "Logs for the probe:\n" + lines.join("") +
    "\n\n\nMetrics that would have been returned:\n" + writeExposition(families) +
    "\n\n\nModule configuration:\n" + moduleYaml(plan.config, plan.module.name);
}

/** The module's section of the config file, as YAML. */
function moduleYaml(config: ExporterConfig, name: string): string {
  try {
    const doc = parseYaml(config.source) as { modules?: Record<string, unknown> };
    return stringifyYaml(doc?.modules?.[name] ?? {});
  } catch {
    return "";
  }
}

/**
 * The `http` prober, on netdiag check's engine: blackbox_exporter's address choice, then one
 * check of the URL (redirects followed and counted, TLS per `tls_config`, the module's method,
 * headers and body), then blackbox's verdict: status codes (2xx by default), HTTP versions,
 * header and body regular expressions, fail_if_(not_)ssl, body_size_limit; and its series.
 * @module
 */
import { check } from "../check/check.ts";
import type { HttpResponse } from "../check/http.ts";
import type { CheckResult } from "../check/types.ts";
import { VERSION } from "../version.ts";
import { TLS_MIN_VERSIONS } from "./config_probers.ts";
import { addHttpPhases } from "./http_phases.ts";
import { failed, type ProberContext, type ProberResult } from "./prober.ts";
import { addressForProbe } from "./target_address.ts";
import { setAddressExtras } from "./connect_extras.ts";
import { setBlackboxTls, setNetdiagTls } from "./tls_metrics.ts";
import type { HttpModule } from "./types.ts";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The stage under way once check reports a stage's end (a TLS stage is skipped for http://). */
const NEXT_STAGE: Readonly<Record<string, string>> = {
  resolve: "connect",
  connect: "tls",
  tls: "http",
};
/** Most body bytes kept without a body_size_limit (the rest is counted as read, not kept). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

function defineHttp(ctx: ProberContext): void {
  for (
    const name of [
      "probe_http_content_length",
      "probe_http_uncompressed_body_length",
      "probe_http_redirects",
      "probe_http_ssl",
      "probe_http_status_code",
      "probe_http_version",
      "probe_failed_due_to_regex",
    ]
  ) {
    ctx.gauges.define(name);
  }
  ctx.gauges.define("probe_http_duration_seconds", true);
}

function headerList(http: HttpModule, hostname: string | undefined): string[] {
  const out = Object.entries(http.headers)
    .filter(([k]) => !(hostname && k.toLowerCase() === "host"))
    .map(([k, v]) => `${k}: ${v}`);
  if (hostname) out.push(`Host: ${hostname}`);
  if (!Object.keys(http.headers).some((k) => k.toLowerCase() === "user-agent")) {
    out.push(`User-Agent: netdiag-exporter/${VERSION}`);
  }
  return out;
}

/** Runs the http prober (see the module). */
export async function probeHttp(ctx: ProberContext): Promise<ProberResult> {
  const http = ctx.request.module.http!;
  const g = ctx.gauges;
  defineHttp(ctx);
  const text = /^https?:\/\//i.test(ctx.request.target)
    ? ctx.request.target
    : `http://${ctx.request.target}`;
  let url: URL;
  try {
    url = new URL(text);
    if (!url.hostname) throw new Error("no host");
  } catch (error) {
    return failed(
      ctx,
      "resolve",
      "bad_target",
      `Could not parse target URL err=${(error as Error).message}`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const moduleHost = Object.entries(http.headers).find(([k]) => k.toLowerCase() === "host")?.[1];
  const hostname = ctx.request.hostname;
  if (hostname && moduleHost && moduleHost !== hostname) {
    return failed(
      ctx,
      "http",
      "bad_target",
      `Host header defined both in module configuration (${moduleHost}) and with URL-parameter 'hostname' (${hostname})`,
    );
  }
  const chosen = await addressForProbe(ctx, host, http);
  if ("success" in chosen) return chosen;
  g.add("probe_http_duration_seconds", chosen.lookupSeconds, { phase: "resolve" });
  for (const phase of ["connect", "tls", "processing", "transfer"]) {
    g.add("probe_http_duration_seconds", 0, { phase });
  }
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  await setAddressExtras(ctx, chosen, port);
  ctx.stage = "connect";
  const responses: HttpResponse[] = [];
  const serverName = http.tlsConfig.serverName ?? hostname ?? moduleHost;
  ctx.log(`Making HTTP request url=${url.href} host=${hostname ?? moduleHost ?? url.host}`);
  const result = await check(ctx.adapter, {
    target: url.href,
    resolve: [`${host}:${port}:${chosen.address}`],
    ...(serverName ? { servername: serverName.replace(/:\d+$/, "") } : {}),
    ...(http.tlsConfig.ca ? { ca: http.tlsConfig.ca } : {}),
    insecure: http.tlsConfig.insecureSkipVerify,
    ...(http.tlsConfig.minVersion
      ? { tlsMinVersion: TLS_MIN_VERSIONS[http.tlsConfig.minVersion] }
      : {}),
    method: http.method,
    headers: headerList(http, hostname),
    ...(http.body !== undefined ? { body: http.body } : {}),
    follow: http.followRedirects,
    maxRedirects: 10,
    maxBodyBytes: http.bodySizeLimit ? http.bodySizeLimit + 1 : MAX_BODY_BYTES,
    timeoutMs: ctx.remainingMs(),
    expectStatus: [{ from: 0, to: 999 }],
  }, {
    onStage: (_hop, stage) => {
      const plain = stage === "connect" && url.protocol === "http:";
      ctx.stage = plain ? "http" : NEXT_STAGE[stage] ?? ctx.stage;
    },
    onResponse: (_hop, response) => responses.push(response),
  }, ctx.signal).catch((error) => {
    if (ctx.signal.aborted) return undefined;
    throw error;
  });
  if (!result) return { success: false, failure: { stage: ctx.stage, reason: "probe_timeout" } };
  return verdict(ctx, http, result, responses);
}

function verdict(
  ctx: ProberContext,
  http: HttpModule,
  result: CheckResult,
  responses: HttpResponse[],
): ProberResult {
  const g = ctx.gauges;
  addHttpPhases(g, result.hops);
  const last = result.hops[result.hops.length - 1];
  const handshake = last?.tls?.handshake;
  if (handshake) setNetdiagTls(g, handshake);
  const redirects =
    responses.filter((r) => REDIRECTS.has(r.statusCode) && r.headers.has("location")).length;
  g.set("probe_http_redirects", redirects);
  const v = result.verdict;
  if (!v.ok && v.reason !== "http_too_many_redirects") {
    return failed(ctx, v.stage, v.reason, `Error for HTTP request err=${v.detail}`);
  }
  const response = responses[responses.length - 1];
  ctx.log(`Received HTTP response status_code=${response.statusCode}`);
  const failure = evaluate(ctx, http, response, !v.ok);
  const overTls = !!handshake && last.http?.status === "ok";
  g.set("probe_http_ssl", overTls ? 1 : 0);
  if (overTls) setBlackboxTls(g, handshake!, !http.tlsConfig.insecureSkipVerify);
  g.set("probe_http_status_code", response.statusCode);
  const length = response.headers.get("content-length");
  g.set(
    "probe_http_content_length",
    length !== undefined && /^\d+$/.test(length) ? Number(length) : -1,
  );
  g.set("probe_http_uncompressed_body_length", v.ok ? response.bodyBytes : 0);
  g.set("probe_http_version", Number(response.httpVersion));
  const modified = Date.parse(response.headers.get("last-modified") ?? "");
  if (Number.isFinite(modified)) {
    g.set("probe_http_last_modified_timestamp_seconds", Math.floor(modified / 1000));
  }
  let out = failure;
  if (!out && overTls && http.failIfSsl) {
    out = failed(ctx, "http", "http_ssl", "Final request was over SSL");
  }
  if (!out && !overTls && http.failIfNotSsl) {
    out = failed(ctx, "http", "http_ssl", "Final request was not over SSL");
  }
  if (!out && !v.ok) out = failed(ctx, v.stage, v.reason, `Error for HTTP request err=${v.detail}`);
  return out ?? { success: true };
}

function evaluate(
  ctx: ProberContext,
  http: HttpModule,
  r: HttpResponse,
  errored: boolean,
): ProberResult | undefined {
  const g = ctx.gauges;
  const valid = http.validStatusCodes.length
    ? http.validStatusCodes.includes(r.statusCode)
    : r.statusCode >= 200 && r.statusCode < 300;
  if (!valid) {
    return failed(
      ctx,
      "http",
      "http_status",
      `Invalid HTTP response status code status_code=${r.statusCode}`,
    );
  }
  const headerFailure = matchHeaders(ctx, http, r.headers);
  if (http.failIfHeaderMatches.length || http.failIfHeaderNotMatches.length) {
    g.set("probe_failed_due_to_regex", headerFailure ? 1 : 0);
  }
  if (headerFailure) return headerFailure;
  if (http.failIfBodyMatchesRegexp.length || http.failIfBodyNotMatchesRegexp.length) {
    const body = new TextDecoder().decode(r.body);
    const hit = http.failIfBodyMatchesRegexp.find((re) => re.test(body));
    const miss = http.failIfBodyNotMatchesRegexp.find((re) => !re.test(body));
    g.set("probe_failed_due_to_regex", hit || miss ? 1 : 0);
    if (hit) {
      return failed(
        ctx,
        "http",
        "http_body_mismatch",
        `Body matched regular expression regexp=${hit.source}`,
      );
    }
    if (miss) {
      return failed(
        ctx,
        "http",
        "http_body_mismatch",
        `Body did not match regular expression regexp=${miss.source}`,
      );
    }
  }
  if (!errored && http.bodySizeLimit && r.bodyBytes > http.bodySizeLimit) {
    return failed(
      ctx,
      "http",
      "http_body_too_large",
      `Failed to read HTTP response body err=http: request body too large`,
    );
  }
  const version = `HTTP/${r.httpVersion}`;
  if (http.validHttpVersions.length && !http.validHttpVersions.includes(version)) {
    return failed(ctx, "http", "http_version", `Invalid HTTP version number version=${version}`);
  }
  return undefined;
}

function matchHeaders(
  ctx: ProberContext,
  http: HttpModule,
  headers: ReadonlyMap<string, string>,
): ProberResult | undefined {
  for (
    const [list, wantMatch] of [[http.failIfHeaderMatches, false], [
      http.failIfHeaderNotMatches,
      true,
    ]] as const
  ) {
    for (const spec of list) {
      const value = headers.get(spec.header.toLowerCase());
      if (value === undefined) {
        if (spec.allowMissing) continue;
        return failed(
          ctx,
          "http",
          "http_header_mismatch",
          `Missing required header header=${spec.header}`,
        );
      }
      if (spec.regexp.test(value) !== wantMatch) {
        const what = wantMatch ? "did not match" : "matched";
        return failed(
          ctx,
          "http",
          "http_header_mismatch",
          `Header ${what} regular expression header=${spec.header} regexp=${spec.regexp.source}`,
        );
      }
    }
  }
  return undefined;
}

/**
 * The `check` engine: resolve → connect → TLS → HTTP, each stage timed with its outcome, redirect
 * hops each on their own, expectations, and a verdict with a reason from {@link CheckReason}.
 * @module
 */
import { resolve as resolveNames } from "../resolve/mod.ts";
import { ipFamily } from "../net/host_lookup.ts";
import { openTls, type TlsConnection } from "../net/tls.ts";
import { type Connection, type NetAdapter, NetError } from "../net/types.ts";
import { type Address, type Attempt, ConnectFailed, happyEyeballs, interleave } from "./connect.ts";
import { statusAccepted } from "./expect.ts";
import { exchange, HttpProtocolError, type HttpResponse } from "./http.ts";
import { parseCheckTarget, parseResolveEntry } from "./target.ts";
import {
  type CheckHooks,
  type CheckHop,
  type CheckOptions,
  type CheckReason,
  type CheckResult,
  type CheckStage,
  type CheckTarget,
  type CheckTimings,
  type CheckVerdict,
  type ConnectAttempt,
  type ExpectationResult,
  type HttpStage,
  NEGATIVE_REASONS,
  type ResolveStage,
  type Slo,
} from "./types.ts";

/** Default accepted statuses. */
export const DEFAULT_EXPECT_STATUS = [{ from: 200, to: 399 }] as const;

interface Failure {
  stage: CheckStage;
  reason: CheckReason;
  detail: string;
}

type Stream = Connection | TlsConnection;

/**
 * Checks `options.target` (see the module). Never rejects for a network outcome: a failure is
 * the verdict; rejects with an InputError for bad options and with the signal's reason on abort.
 */
export async function check(
  adapter: NetAdapter,
  options: CheckOptions,
  hooks: CheckHooks = {},
  signal?: AbortSignal,
): Promise<CheckResult> {
  const started = performance.now();
  const first = parseCheckTarget(options.target);
  const resolveEntries = (options.resolve ?? []).map(parseResolveEntry);
  const hops: CheckHop[] = [];
  let target = first;
  let failure: Failure | undefined;
  let allAddrs: ConnectAttempt[] | undefined;
  let lastResponse: HttpResponse | undefined;
  const maxRedirects = options.maxRedirects ?? 10;
  for (let hopIndex = 0;; hopIndex++) {
    signal?.throwIfAborted();
    const { hop, fail, response, everyAddress } = await runHop(
      adapter,
      target,
      options,
      resolveEntries,
      (stage, result) => hooks.onStage?.(hopIndex, stage, result),
      hopIndex === 0 && !!options.allAddrs,
      signal,
    );
    hops.push(hop);
    if (response) hooks.onResponse?.(hopIndex, response);
    if (everyAddress) allAddrs = everyAddress;
    failure = fail;
    lastResponse = response;
    const location = response?.headers.get("location");
    if (
      fail || !options.follow || !response || !location || response.statusCode < 300 ||
      response.statusCode > 399
    ) break;
    if (hopIndex >= maxRedirects) {
      failure = {
        stage: "http",
        reason: "http_too_many_redirects",
        detail: `more than ${maxRedirects} redirects`,
      };
      break;
    }
    target = parseCheckTarget(new URL(location, target.url).href);
  }
  const expectations: ExpectationResult[] = [];
  if (!failure) failure = evaluate(options, hops, lastResponse, expectations);
  const verdict: CheckVerdict = failure ? { ok: false, ...failure } : { ok: true };
  return {
    target: first,
    hops,
    ...(allAddrs ? { allAddrs } : {}),
    expectations,
    verdict,
    exitCode: failure ? (NEGATIVE_REASONS.has(failure.reason) ? 1 : 3) : 0,
    totalMs: performance.now() - started,
  };
}

function evaluate(
  options: CheckOptions,
  hops: readonly CheckHop[],
  response: HttpResponse | undefined,
  out: ExpectationResult[],
): Failure | undefined {
  const last = hops[hops.length - 1];
  let failure: Failure | undefined;
  const note = (f: Failure) => (failure ??= f);
  if (response) {
    const ranges = options.expectStatus ?? DEFAULT_EXPECT_STATUS;
    const ok = statusAccepted(response.statusCode, ranges);
    const want = ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(",");
    out.push({ name: "status", ok, detail: `${response.statusCode}, expected ${want}` });
    if (!ok) {
      note({
        stage: "http",
        reason: "http_status",
        detail: `status ${response.statusCode}, expected ${want}`,
      });
    }
  }
  if (options.certMinDays !== undefined) {
    const leaf = last.tls?.handshake?.chain[0];
    const ok = !!leaf && leaf.daysLeft >= options.certMinDays;
    const detail = leaf
      ? `${leaf.daysLeft} days left, expected at least ${options.certMinDays}`
      : "no certificate";
    out.push({ name: "certMinDays", ok, detail });
    if (!ok) note({ stage: "expect", reason: "tls_cert_expiring", detail });
  }
  if (options.expectBody && response) {
    const ok = options.expectBody.test(new TextDecoder().decode(response.body));
    const detail = `${
      ok ? "matches" : "does not match"
    } /${options.expectBody.source}/ (first ${response.bodyBytes} bytes)`;
    out.push({ name: "body", ok, detail });
    if (!ok) note({ stage: "expect", reason: "http_body_mismatch", detail });
  }
  if (options.slo) {
    const over = (Object.entries(options.slo) as [keyof Slo, number][])
      .filter(([k, limit]) => last.timings.cumulativeMs[k] > limit)
      .map(([k, limit]) => `${k} ${last.timings.cumulativeMs[k].toFixed(1)}ms > ${limit}ms`);
    const detail = over.length ? over.join(", ") : "within limits";
    out.push({ name: "slo", ok: !over.length, detail });
    if (over.length) note({ stage: "expect", reason: "slo_exceeded", detail });
  }
  return failure;
}

function timings(
  dns: number,
  connect: number,
  tls: number,
  pre: number,
  server: number,
  transfer: number,
  usedTls: boolean,
): CheckTimings {
  const namelookup = dns;
  const conn = dns + connect;
  const appconnect = usedTls ? conn + tls : 0;
  const pretransfer = conn + tls + pre;
  const starttransfer = server ? pretransfer + server : 0;
  const total = pretransfer + server + transfer;
  const cumulativeMs = { namelookup, connect: conn, appconnect, pretransfer, starttransfer, total };
  const curl = Object.fromEntries(
    Object.entries(cumulativeMs).map(([k, v]) => [k, Math.round(v * 1000) / 1e6]),
  ) as Required<Slo>;
  return {
    dnsMs: dns,
    connectMs: connect,
    tlsMs: tls,
    serverMs: server,
    transferMs: transfer,
    cumulativeMs,
    curl,
  };
}

async function runResolve(
  adapter: NetAdapter,
  target: CheckTarget,
  options: CheckOptions,
  entries: ReturnType<typeof parseResolveEntry>[],
  signal?: AbortSignal,
): Promise<{ stage: ResolveStage; fail?: Failure }> {
  const t0 = performance.now();
  const fam = (a: string) => (ipFamily(a) === 6 ? 6 : 4) as 4 | 6;
  const keep = (list: Address[]) =>
    options.family ? list.filter((a) => a.family === options.family) : list;
  const entry = entries.find((e) => e.host === target.host.toLowerCase() && e.port === target.port);
  if (entry) {
    const addresses = keep(entry.addresses.map((address) => ({ address, family: fam(address) })));
    return { stage: { status: "ok", ms: 0, source: "resolve", addresses } };
  }
  if (ipFamily(target.host)) {
    return {
      stage: {
        status: "ok",
        ms: 0,
        source: "literal",
        addresses: [{ address: target.host, family: fam(target.host) }],
      },
    };
  }
  const batch = await resolveNames(
    adapter,
    {
      names: [target.host],
      source: options.source ?? "system",
      ...(options.server ? { server: options.server } : {}),
      ...(options.hostsFile ? { hostsFile: options.hostsFile } : {}),
      ...(options.family ? { family: options.family } : {}),
      timeoutMs: options.timeoutMs ?? 10_000,
    },
    {},
    signal,
  );
  signal?.throwIfAborted();
  const ms = performance.now() - t0;
  const result = batch.results[0];
  const answer = result?.answers.find((a) => a.status === "ok" && a.addresses.length) ??
    result?.answers[0];
  const addresses = keep(
    (answer?.addresses ?? []).map((a) => ({ address: a.address, family: a.family })),
  );
  const base = {
    ms,
    source: answer?.source ?? "system",
    ...(answer?.from ? { from: answer.from } : {}),
    ...(answer?.canonicalName ? { canonicalName: answer.canonicalName } : {}),
    ...(answer?.aliases?.length ? { aliases: answer.aliases } : {}),
    addresses,
  } as const;
  if (result?.status === "ok" && addresses.length) return { stage: { status: "ok", ...base } };
  const status = result?.status ?? "failure";
  const reason: CheckReason = status === "not-found"
    ? "dns_nxdomain"
    : status === "no-data" || status === "ok"
    ? "dns_no_data"
    : status === "timeout"
    ? "dns_timeout"
    : "dns_failure";
  const detail = `${target.host}: ${answer?.reason ?? status}`;
  return {
    stage: { status: "failed", ...base, error: detail },
    fail: { stage: "resolve", reason, detail },
  };
}

function tcpReason(attempts: readonly ConnectAttempt[]): CheckReason {
  const codes = attempts.filter((a) => a.status === "failed").map((a) => a.code);
  if (codes.length && codes.every((c) => c === "ECONNREFUSED")) return "tcp_refused";
  if (codes.includes("ETIMEDOUT")) return "tcp_timeout";
  return "tcp_failed";
}

async function runHop(
  adapter: NetAdapter,
  target: CheckTarget,
  options: CheckOptions,
  entries: ReturnType<typeof parseResolveEntry>[],
  onStage: (stage: CheckStage, result: unknown) => void,
  everyAddress: boolean,
  signal?: AbortSignal,
): Promise<
  { hop: CheckHop; fail?: Failure; response?: HttpResponse; everyAddress?: ConnectAttempt[] }
> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const useTls = target.scheme === "https" || (target.scheme === "tcp" && !!options.tls);
  const { stage: resolveStage, fail: resolveFail } = await runResolve(
    adapter,
    target,
    options,
    entries,
    signal,
  );
  onStage("resolve", resolveStage);
  const dns = resolveStage.ms;
  let connectMs = 0, tlsMs = 0, pre = 0, server = 0, transfer = 0;
  const finish = (
    rest: Partial<CheckHop>,
    fail?: Failure,
    response?: HttpResponse,
    every?: ConnectAttempt[],
  ) => ({
    hop: {
      target,
      resolve: resolveStage,
      connect: rest.connect ??
        { status: "skipped" as const, ms: 0, port: target.port, attempts: [] },
      ...rest,
      timings: timings(dns, connectMs, tlsMs, pre, server, transfer, useTls),
    } as CheckHop,
    fail,
    response,
    everyAddress: every,
  });
  if (resolveFail) return finish({}, resolveFail);
  const ordered = options.family ? resolveStage.addresses : interleave(resolveStage.addresses);
  const startAttempt = (a: Address): Attempt<Stream> => {
    if (useTls) {
      return openTls({
        hostname: a.address,
        port: target.port,
        servername: options.servername ?? (ipFamily(target.host) ? undefined : target.host),
        alpn: options.alpn ?? (target.scheme === "tcp" ? [] : ["http/1.1"]),
        ...(options.ca ? { ca: options.ca } : {}),
        insecure: options.insecure,
        ...(options.tlsMinVersion ? { minVersion: options.tlsMinVersion } : {}),
        timeoutMs,
        signal,
      });
    }
    const ac = new AbortController();
    const stop = () => ac.abort();
    signal?.addEventListener("abort", stop, { once: true });
    const t0 = performance.now();
    const done = adapter.connect({
      transport: "tcp",
      hostname: a.address,
      port: target.port,
      timeoutMs,
      signal: ac.signal,
    })
      .finally(() => signal?.removeEventListener("abort", stop));
    let conn: Connection | undefined;
    done.then((c) => (conn = c), () => {});
    return {
      tcp: done.then(() => performance.now() - t0),
      done,
      cancel: () => (conn ? conn.close() : ac.abort()),
    };
  };
  let every: ConnectAttempt[] | undefined;
  if (everyAddress) {
    every = [];
    const t0 = performance.now();
    for (const a of resolveStage.addresses) {
      const s = performance.now();
      try {
        const c = await adapter.connect({
          transport: "tcp",
          hostname: a.address,
          port: target.port,
          timeoutMs,
          signal,
        });
        c.close();
        every.push({
          address: a.address,
          family: a.family,
          startedMs: s - t0,
          status: "ok",
          ms: performance.now() - s,
        });
      } catch (error) {
        signal?.throwIfAborted();
        every.push({
          address: a.address,
          family: a.family,
          startedMs: s - t0,
          status: "failed",
          ms: performance.now() - s,
          code: error instanceof NetError ? error.code : "UNKNOWN",
        });
      }
    }
  }
  const c0 = performance.now();
  let raced;
  try {
    raced = await happyEyeballs(ordered, startAttempt, options.attemptDelayMs ?? 250, signal);
  } catch (error) {
    signal?.throwIfAborted();
    const attempts = error instanceof ConnectFailed ? error.attempts : [];
    connectMs = performance.now() - c0;
    const detail = error instanceof ConnectFailed ? error.message : String(error);
    const connect = {
      status: "failed" as const,
      ms: connectMs,
      port: target.port,
      attempts,
      error: detail,
    };
    onStage("connect", connect);
    return finish(
      { connect },
      { stage: "connect", reason: tcpReason(attempts), detail },
      undefined,
      every,
    );
  }
  connectMs = (raced.attempts.find((a) => a.status === "ok")!.startedMs) + raced.tcpMs;
  const connect = {
    status: "ok" as const,
    ms: connectMs,
    address: raced.address.address,
    port: target.port,
    attempts: raced.attempts,
  };
  onStage("connect", connect);
  let stream: Stream;
  const t1 = performance.now();
  try {
    stream = await raced.attempt.done;
  } catch (error) {
    signal?.throwIfAborted();
    tlsMs = performance.now() - t1;
    const timeout = error instanceof NetError && error.code === "ETIMEDOUT";
    const detail = error instanceof Error ? error.message : String(error);
    const tls = { status: "failed" as const, ms: tlsMs, error: detail };
    onStage("tls", tls);
    return finish(
      { connect, tls },
      { stage: "tls", reason: timeout ? "tls_timeout" : "tls_handshake_failed", detail },
      undefined,
      every,
    );
  }
  try {
    let tlsStage;
    if ("handshake" in stream) {
      tlsMs = stream.tlsMs;
      const h = stream.handshake;
      const verified = h.reasons.length === 0;
      tlsStage = {
        status: verified || options.insecure ? "ok" as const : "failed" as const,
        ms: tlsMs,
        handshake: h,
      };
      onStage("tls", tlsStage);
      if (!verified && !options.insecure) {
        const r = h.reasons[0];
        const reason: CheckReason = r === "expired"
          ? "tls_cert_expired"
          : r === "not_yet_valid"
          ? "tls_cert_not_yet_valid"
          : r === "hostname_mismatch"
          ? "tls_hostname_mismatch"
          : r === "incomplete_chain"
          ? "tls_cert_incomplete_chain"
          : "tls_cert_untrusted";
        const detail = `certificate ${h.reasons.join(", ").replaceAll("_", " ")}` +
          (h.authorizationError ? ` (${h.authorizationError})` : "");
        return finish(
          { connect, tls: tlsStage },
          { stage: "tls", reason, detail },
          undefined,
          every,
        );
      }
    }
    if (target.scheme === "tcp") {
      return finish(
        { connect, ...(tlsStage ? { tls: tlsStage } : {}) },
        undefined,
        undefined,
        every,
      );
    }
    const method = (options.method ?? "GET").toUpperCase();
    const p0 = performance.now();
    const http: HttpStage = { status: "failed", ms: 0, method, url: target.url! };
    let response: HttpResponse;
    try {
      response = await withTimeout(
        exchange(stream, {
          method,
          path: target.path,
          host: (target.port === (target.scheme === "https" ? 443 : 80))
            ? hostHeader(target.host)
            : `${hostHeader(target.host)}:${target.port}`,
          headers: options.headers,
          ...(options.body !== undefined ? { body: new TextEncoder().encode(options.body) } : {}),
        }, options.maxBodyBytes ?? 1024 * 1024),
        timeoutMs,
        () => stream.close(),
        signal,
      );
    } catch (error) {
      signal?.throwIfAborted();
      const timedOut = error instanceof TimeoutError;
      const detail = timedOut
        ? `no complete response within ${timeoutMs} ms`
        : error instanceof Error
        ? error.message
        : String(error);
      const reason: CheckReason = timedOut
        ? "http_timeout"
        : error instanceof HttpProtocolError
        ? "http_protocol_error"
        : "http_failed";
      const stage = { ...http, ms: performance.now() - p0, error: detail };
      onStage("http", stage);
      return finish(
        { connect, ...(tlsStage ? { tls: tlsStage } : {}), http: stage },
        { stage: "http", reason, detail },
        undefined,
        every,
      );
    }
    pre = response.sentAt - p0;
    server = (response.firstByteAt || response.endAt) - response.sentAt;
    transfer = response.endAt - (response.firstByteAt || response.endAt);
    const h = response.headers;
    const len = h.get("content-length");
    const stage: HttpStage = {
      status: "ok",
      ms: response.endAt - p0,
      method,
      url: target.url!,
      statusCode: response.statusCode,
      statusText: response.statusText,
      httpVersion: response.httpVersion,
      headers: {
        ...(h.has("server") ? { server: h.get("server") } : {}),
        ...(h.has("content-type") ? { contentType: h.get("content-type") } : {}),
        ...(len !== undefined && /^\d+$/.test(len) ? { contentLength: Number(len) } : {}),
        ...(h.has("location") ? { location: h.get("location") } : {}),
        ...(h.has("strict-transport-security")
          ? { strictTransportSecurity: h.get("strict-transport-security") }
          : {}),
        ...(h.has("cache-control") ? { cacheControl: h.get("cache-control") } : {}),
      },
      bodyBytes: response.bodyBytes,
      bodyTruncated: response.bodyTruncated,
    };
    onStage("http", stage);
    return finish(
      { connect, ...(tlsStage ? { tls: tlsStage } : {}), http: stage },
      undefined,
      response,
      every,
    );
  } finally {
    stream.close();
  }
}

function hostHeader(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

class TimeoutError extends Error {}

function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  onTimeout: () => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new TimeoutError());
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      onTimeout();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
  });
}

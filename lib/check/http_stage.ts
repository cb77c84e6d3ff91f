/**
 * The HTTP stage of a hop: one request on the hop's connection, read within the time limit,
 * and the response headers that matter.
 * @module
 */
import type { Stream } from "./connect_stage.ts";
import { exchange, HttpProtocolError, type HttpResponse } from "./http.ts";
import type { StageFailure } from "./stage_failure.ts";
import type {
  CheckOptions,
  CheckReason,
  CheckTarget,
  HttpHeadersOfNote,
  HttpStage,
} from "./types.ts";

/** The outcome of {@link httpStage}. */
export interface HttpOutcome {
  readonly stage: HttpStage;
  readonly response?: HttpResponse;
  readonly fail?: StageFailure;
  /** From the stage's start to the request handed to the socket (curl's pretransfer part), ms. */
  readonly preMs: number;
}

/** Sends the request and reads the response (see the module); rejects only on abort. */
export async function httpStage(
  stream: Stream,
  target: CheckTarget,
  options: CheckOptions,
  signal?: AbortSignal,
): Promise<HttpOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const method = (options.method ?? "GET").toUpperCase();
  const p0 = performance.now();
  const defaultPort = target.scheme === "https" ? 443 : 80;
  const host = target.port === defaultPort
    ? hostHeader(target.host)
    : `${hostHeader(target.host)}:${target.port}`;
  let response: HttpResponse;
  try {
    response = await withTimeout(
      exchange(stream, {
        method,
        path: target.path,
        host,
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
    const stage: HttpStage = {
      status: "failed",
      ms: performance.now() - p0,
      method,
      url: target.url!,
      error: detail,
    };
    return { stage, fail: { stage: "http", reason, detail }, preMs: 0 };
  }
  const stage: HttpStage = {
    status: "ok",
    ms: response.endAt - p0,
    method,
    url: target.url!,
    statusCode: response.statusCode,
    statusText: response.statusText,
    httpVersion: response.httpVersion,
    headers: headersOfNote(response.headers),
    bodyBytes: response.bodyBytes,
    bodyTruncated: response.bodyTruncated,
  };
  return { stage, response, preMs: response.sentAt - p0 };
}

/** The response headers reported (the rest stay in the response for the hooks). */
function headersOfNote(h: ReadonlyMap<string, string>): HttpHeadersOfNote {
  const len = h.get("content-length");
  return {
    ...(h.has("server") ? { server: h.get("server") } : {}),
    ...(h.has("content-type") ? { contentType: h.get("content-type") } : {}),
    ...(len !== undefined && /^\d+$/.test(len) ? { contentLength: Number(len) } : {}),
    ...(h.has("location") ? { location: h.get("location") } : {}),
    ...(h.has("strict-transport-security")
      ? { strictTransportSecurity: h.get("strict-transport-security") }
      : {}),
    ...(h.has("cache-control") ? { cacheControl: h.get("cache-control") } : {}),
  };
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

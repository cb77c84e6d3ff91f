/**
 * A small HTTP/1.1 server for the adapter layer: `Deno.serve` under Deno, `Bun.serve` under Bun,
 * both with the Fetch API's `Request` and `Response`. Requests are bounded before the handler sees
 * them (URL length, declared body size); a handler that throws answers 500 with one line, never a
 * stack trace. Used by `netdiag exporter` (lib/exporter/server.ts).
 * @module
 */
import { type NetErrorCode, toNetErrorCode } from "./types.ts";
import { NetError } from "./types.ts";

/** Where a request came from, for handlers that care (allow-lists, logs). */
export interface HttpRequestInfo {
  /** The peer's IP address (`127.0.0.1`, `::1`), or `""` when the runtime does not say. */
  readonly remoteAddress: string;
}

/** A request handler: a `Response` for every `Request`. */
export type HttpHandler = (req: Request, info: HttpRequestInfo) => Promise<Response> | Response;

/** The bound address of a running server. */
export interface HttpAddress {
  readonly hostname: string;
  readonly port: number;
}

/** Options of {@link serveHttp}. */
export interface HttpServerOptions {
  /** Address to bind, e.g. `127.0.0.1`, `::`. */
  readonly hostname: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** Aborting it stops accepting and closes the server (in-flight requests finish). */
  readonly signal: AbortSignal;
  readonly handler: HttpHandler;
  /** Called once the socket is bound. */
  readonly onListen?: (addr: HttpAddress) => void;
  /** Longest request URL accepted (bytes of path and query); longer gets 414. Default 8192. */
  readonly maxUrlBytes?: number;
  /** Largest declared request body (`content-length`); larger gets 413. Default 65 536. */
  readonly maxBodyBytes?: number;
}

/** A running server. */
export interface HttpServer {
  readonly addr: HttpAddress;
  /** Resolves once the server has stopped (after the signal was aborted). */
  readonly finished: Promise<void>;
}

const DEFAULT_MAX_URL_BYTES = 8192;
const DEFAULT_MAX_BODY_BYTES = 65_536;

/** A one-line plain-text response. */
export function textResponse(status: number, text: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  if (!h.has("content-type")) h.set("content-type", "text/plain; charset=utf-8");
  return new Response(text, { status, headers: h });
}

/** The handler with the request bounds and a last-resort 500 around it. */
function bounded(options: HttpServerOptions): HttpHandler {
  const maxUrl = options.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req, info) => {
    const url = req.url;
    const pathStart = url.indexOf("/", url.indexOf("//") + 2);
    if (url.length - Math.max(pathStart, 0) > maxUrl) {
      return textResponse(414, `Request URI too long: more than ${maxUrl} bytes\n`);
    }
    const length = Number(req.headers.get("content-length") ?? 0);
    if (!(length <= maxBody)) {
      return textResponse(413, `Request body too large: more than ${maxBody} bytes\n`);
    }
    try {
      return await options.handler(req, info);
    } catch (error) {
      const name = error instanceof Error ? error.name : "error";
      return textResponse(500, `Internal error: ${name}\n`);
    }
  };
}

/** A runtime's listen error as a {@link NetError}. */
function listenError(error: unknown, address: string): NetError {
  if (error instanceof NetError) return error;
  const e = error as { code?: string; name?: string };
  const byName: Record<string, NetErrorCode> = {
    AddrInUse: "EADDRINUSE",
    AddrNotAvailable: "EADDRNOTAVAIL",
    PermissionDenied: "EACCES",
  };
  let code = toNetErrorCode(e?.code);
  if (code === "UNKNOWN" && e?.name) code = byName[e.name] ?? "UNKNOWN";
  return new NetError(code, "listen", address, { cause: error, systemCode: e?.code ?? e?.name });
}

function addressText(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}

/**
 * Serves HTTP on `hostname:port` until `signal` is aborted. Rejects with a {@link NetError}
 * (operation `listen`) when the address cannot be bound.
 */
export function serveHttp(options: HttpServerOptions): Promise<HttpServer> {
  const address = addressText(options.hostname, options.port);
  try {
    return Promise.resolve(
      "Deno" in globalThis ? serveDeno(options, bounded(options)) : serveBun(options),
    );
  } catch (error) {
    return Promise.reject(listenError(error, address));
  }
}

function serveDeno(options: HttpServerOptions, handler: HttpHandler): HttpServer {
  let addr: HttpAddress = { hostname: options.hostname, port: options.port };
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    signal: options.signal,
    onListen: (a) => {
      addr = { hostname: a.hostname, port: a.port };
    },
    onError: () => textResponse(500, "Internal error\n"),
  }, (req, info) => {
    const remote = info.remoteAddr as { hostname?: string };
    return handler(req, { remoteAddress: remote.hostname ?? "" });
  });
  const bound = server.addr as Deno.NetAddr;
  addr = { hostname: bound.hostname, port: bound.port };
  options.onListen?.(addr);
  return { addr, finished: server.finished };
}

/** The part of Bun's server this module uses (Bun's types are not a dependency). */
interface BunHttpServer {
  readonly port: number;
  readonly hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
  requestIP(req: Request): { address: string } | null;
}

interface BunServe {
  serve(options: {
    hostname: string;
    port: number;
    development: boolean;
    reusePort: boolean;
    maxRequestBodySize: number;
    fetch(req: Request, server: BunHttpServer): Promise<Response> | Response;
    error(error: Error): Response;
  }): BunHttpServer;
}

function serveBun(options: HttpServerOptions): HttpServer {
  const bun = (globalThis as unknown as { Bun: BunServe }).Bun;
  const handler = bounded(options);
  const server = bun.serve({
    hostname: options.hostname,
    port: options.port,
    development: false,
    reusePort: false, // development: false alone sets SO_REUSEPORT: a second server would bind
    maxRequestBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    fetch: (req, srv) => handler(req, { remoteAddress: srv.requestIP(req)?.address ?? "" }),
    error: () => textResponse(500, "Internal error\n"),
  });
  const addr = { hostname: server.hostname, port: server.port };
  const finished = new Promise<void>((resolve) => {
    const stop = () => Promise.resolve(server.stop(false)).then(() => resolve(), () => resolve());
    if (options.signal.aborted) stop();
    else options.signal.addEventListener("abort", stop, { once: true });
  });
  options.onListen?.(addr);
  return { addr, finished };
}

/**
 * Loopback servers for the TLS and check tests: a TLS server with a given certificate chain,
 * an HTTP(S) server with routes (redirects, slow first byte, large body, chunked), a server
 * that resets every connection on accept, a plain-TCP server that answers a banner where TLS is
 * expected, and a silent one (accepts, never speaks); and the HTTP(S) server on a Unix socket.
 * All `node:tls` / `node:net` / `node:http(s)` servers, which work on Deno and Bun.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";

/** A running loopback server. */
export interface TestServer {
  readonly port: number;
  /** Closes the server and every connection it has. */
  close(): Promise<void>;
}

function track(server: net.Server): TestServer & { ready: Promise<void> } {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
  });
  server.on("secureConnection", (s: net.Socket) => s.on("error", () => {}));
  server.on("tlsClientError", () => {});
  const ready = new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const out = {
    ready,
    get port() {
      return (server.address() as AddressInfo).port;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  return out;
}

/** The routes of {@link startHttpServer}. */
export function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://x");
  const p = url.pathname;
  if (p === "/") {
    res.writeHead(200, {
      "content-type": "text/plain",
      "server": "netdiag-test",
      "cache-control": "no-store",
      "strict-transport-security": "max-age=60",
    });
    res.end(`hello ${req.method}${req.headers["x-test"] ? ` ${req.headers["x-test"]}` : ""}\n`);
  } else if (p.startsWith("/redirect/")) {
    const n = Number(p.slice("/redirect/".length));
    res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : "/" });
    res.end();
  } else if (p === "/slow") {
    const ms = Number(url.searchParams.get("ms") ?? 300);
    setTimeout(() => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("slow\n");
    }, ms);
  } else if (p === "/large") {
    const size = Number(url.searchParams.get("bytes") ?? 1_000_000);
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": size });
    res.end(new Uint8Array(size).fill(97));
  } else if (p === "/chunked") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("chunk one\n");
    setTimeout(() => res.end("chunk two\n"), 10);
  } else if (p === "/host") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`host ${req.headers.host ?? "-"}\n`);
  } else if (p === "/status") {
    res.writeHead(Number(url.searchParams.get("code") ?? 500));
    res.end("status\n");
  } else {
    res.writeHead(404);
    res.end("not found\n");
  }
}

/** A plain HTTP/1.1 server with {@link handler}'s routes. */
export async function startHttpServer(): Promise<TestServer> {
  const t = track(http.createServer(handler));
  await t.ready;
  return t;
}

/** An HTTPS server with {@link handler}'s routes, serving `cert` (PEM chain) and `key`. */
export async function startHttpsServer(cert: string, key: string): Promise<TestServer> {
  const t = track(https.createServer({ cert, key, ALPNProtocols: ["http/1.1"] }, handler));
  await t.ready;
  return t;
}

/** A TLS server that writes `hello` and closes, serving `cert` (PEM chain) and `key`. */
export async function startTlsServer(cert: string, key: string): Promise<TestServer> {
  const t = track(
    tls.createServer({ cert, key, ALPNProtocols: ["http/1.1"] }, (s) => s.end("hello")),
  );
  await t.ready;
  return t;
}

/** A TCP server that does `onConnect` with each connection. */
export async function startTcpServer(onConnect: (s: net.Socket) => void): Promise<TestServer> {
  const t = track(net.createServer(onConnect));
  await t.ready;
  return t;
}

/** Resets each connection as soon as the first bytes (a ClientHello) arrive. */
export function startResetServer(): Promise<TestServer> {
  return startTcpServer((s) => s.once("data", () => s.resetAndDestroy?.() ?? s.destroy()));
}

/** Answers a banner (no TLS): where TLS is expected, the handshake fails. */
export function startPlainServer(): Promise<TestServer> {
  return startTcpServer((s) => {
    s.write("SSH-2.0-netdiag-test\r\n");
    s.once("data", () => s.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n"));
  });
}

/** Accepts and never speaks. */
export function startSilentServer(): Promise<TestServer> {
  return startTcpServer(() => {});
}

/** A running server on a Unix socket. */
export interface UnixTestServer {
  readonly path: string;
  /** Closes the server and every connection it has. */
  close(): Promise<void>;
}

/**
 * {@link handler}'s routes on the Unix socket `path`: HTTP, or HTTPS when `tls` gives the
 * certificate chain and key (as curl --unix-socket reaches a local service).
 */
export async function startUnixHttpServer(
  path: string,
  tlsCredentials?: { cert: string; key: string },
): Promise<UnixTestServer> {
  const server = tlsCredentials
    ? https.createServer({ ...tlsCredentials, ALPNProtocols: ["http/1.1"] }, handler)
    : http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

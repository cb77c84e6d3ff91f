/** The socket adapter layer: the contract and the runtime's implementation. */
export * from "./types.ts";
export { netAdapter } from "./adapter.ts";
export {
  type HttpAddress,
  type HttpHandler,
  type HttpRequestInfo,
  type HttpServer,
  type HttpServerOptions,
  serveHttp,
  textResponse,
} from "./http_server.ts";
export {
  connectTls,
  openTls,
  type TlsAttempt,
  type TlsCertificate,
  type TlsConnection,
  type TlsConnectOptions,
  type TlsHandshake,
  TlsHandshakeError,
  type TlsKeyInfo,
  type TlsVerifyReason,
} from "./tls.ts";

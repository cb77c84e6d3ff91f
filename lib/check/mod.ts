/**
 * The `check` engine as a library: where a connection breaks (DNS, TCP, TLS or HTTP), with
 * timings, certificates, expectations and a verdict; and {@link pingRun} for repeats.
 * @module
 */
export { check, DEFAULT_EXPECT_STATUS } from "./check.ts";
export { interleave } from "./connect.ts";
export { parseSlo, parseStatusRanges, statusAccepted } from "./expect.ts";
export { formatRequest, HttpProtocolError, MAX_HEADER_BYTES } from "./http.ts";
export {
  percentile,
  type PingAttempt,
  type PingHooks,
  type PingOptions,
  pingRun,
  type PingSummary,
  summarisePing,
} from "./ping.ts";
export { parseCheckTarget, parseResolveEntry, type ResolveEntry } from "./target.ts";
export * from "./types.ts";
export type { TlsCertificate, TlsHandshake, TlsKeyInfo, TlsVerifyReason } from "../net/tls.ts";

/**
 * The echo feature: the server behind `netdiag echo serve` and the measuring client behind
 * `netdiag echo test`, both on the adapter layer (lib/net/). Engines only: they report to
 * hooks and return typed results, and never print or exit.
 * @module
 */
export {
  type EchoServer,
  type EchoServerHooks,
  type EchoServerOptions,
  startEchoServer,
} from "./server.ts";
export {
  type EchoTarget,
  type EchoTestHooks,
  type EchoTestOptions,
  runEchoTest,
} from "./client.ts";
export type { ProgressRules } from "./progress.ts";
export {
  DEFAULT_ECHO_PORT,
  type ListeningRecord,
  planListeners,
  SERVE_BOUNDS,
  type ServePlan,
  type ServeTotals,
  type SessionEnd,
  type SessionRecord,
} from "../core/echo_serve.ts";
export type {
  EchoConnectionResult,
  EchoMismatch,
  EchoTestResult,
  RttSummary,
  UdpCounts,
} from "../core/echo_test.ts";
export type { EchoMode } from "../core/echo_reply.ts";

/**
 * netdiag as a library: the socket API's conversions (`htons`, `inetPton`, …), service and
 * protocol lookups, name resolution and DNS queries, port probes, an echo server and client, and
 * file transfers, on Deno and Bun. Every function picks the runtime's socket implementation
 * itself; every one that waits on the network takes an `AbortSignal` in its options.
 *
 * @example Probe a port, then look a service up
 * ```ts
 * import { getServByPort, probe } from "@netdiag/netdiag";
 * const { summary, results } = await probe({ targets: ["127.0.0.1:22"] }).result();
 * console.log(results[0].state, summary.met); // "open" true when an SSH server listens
 * console.log((await getServByPort(22, "tcp"))?.name); // "ssh"
 * ```
 *
 * @example Errors: `InputError` for bad input, `NetError` (with a `code`) for a failed bind
 * ```ts
 * import { inetPton, InputError, NetError, startEchoServer } from "@netdiag/netdiag";
 * try {
 *   inetPton(4, "10.0.0.256");
 * } catch (error) {
 *   console.log(error instanceof InputError, (error as InputError).exitCode); // true 2
 * }
 * await using first = await startEchoServer();
 * try {
 *   await startEchoServer({ port: first.port });
 * } catch (error) {
 *   console.log(error instanceof NetError && error.code); // "EADDRINUSE"
 * }
 * ```
 * @module
 */
export { htonl, htons, ntohl, ntohs } from "./lib/api/byte_order.ts";
export { type AddressFamily, inetAton, inetNtoa, inetNtop, inetPton } from "./lib/api/inet.ts";
export {
  getProtoByName,
  getProtoByNumber,
  getServByName,
  getServByPort,
  type ProtocolLookupOptions,
  type ServiceLookupOptions,
} from "./lib/api/netdb.ts";
export {
  probe,
  type ProbeRunOptions,
  type WaitRunOptions,
  waitUntilOpen,
} from "./lib/api/probe.ts";
export {
  type BatchLookupOptions,
  type LookupHooks,
  resolve,
  resolveBatch,
  type ResolveLookupOptions,
  reverse,
  reverseBatch,
  type ReverseLookupOptions,
} from "./lib/api/names.ts";
export {
  type DnsBatchQueryOptions,
  type DnsQueryOptions,
  queryDns,
  queryDnsBatch,
} from "./lib/api/dns.ts";
export { hostname, type HostnameOptions } from "./lib/api/hostname.ts";
export { type DnsServerSpec, type NameLookupBaseOptions } from "./lib/api/lookup_options.ts";
export {
  type EchoServerHandle,
  type EchoServerHooks,
  type EchoServerListener,
  type EchoServerOptions,
  startEchoServer,
} from "./lib/api/echo_server.ts";
export {
  type EchoTestHooks,
  type EchoTestOptions,
  type EchoTestTarget,
  runEchoTest,
} from "./lib/api/echo_client.ts";
export {
  type ReceiveHooks,
  type ReceiverControls,
  type ReceiverHandle,
  type ReceiverOptions,
  sendFiles,
  type SendFilesOptions,
  type SendHooks,
  type SendTarget,
  startReceiver,
  type UnixReceiverHandle,
} from "./lib/api/transfer.ts";
export * from "./lib/api/errors.ts";
export type * from "./lib/api/types.ts";

/**
 * netdiag's name engines as a library: names to addresses ({@link resolve}), addresses to
 * names ({@link reverse}), DNS queries ({@link queryDns}, {@link queryDnsBatch}) and the host
 * name ({@link hostname}). Each takes `(adapter, options, hooks, signal)` (the adapter may be
 * undefined: the runtime's own) and returns typed results in the shared vocabulary of
 * lib/output/document.ts; none prints or exits.
 * @module
 */
export { type LookupBatch, type LookupHooks } from "./batch.ts";
export {
  type DnsBatchOptions,
  type DnsQueryOptions,
  dnsQuestions,
  type DnsQuestionSpec,
  type DnsTransportOptions,
  parseQueryLine,
  queryDns,
  queryDnsBatch,
} from "./dns.ts";
export { hostname, type HostnameOptions } from "./hostname.ts";
export {
  ALL_SOURCES,
  type BatchOptions,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type LookupOptions,
  type NameLookupOptions,
  type SourceChoice,
} from "./options.ts";
export {
  resolve,
  type ResolveOptions,
  reverse,
  type ReverseOptions,
  validateResolveName,
  validateReverseQuery,
} from "./resolve.ts";
export type { DnsExchange, DnsHeaderFlags, DnsTransport } from "../core/dns_exchange.ts";
export type { DnsRecord, DnsStatus, RecordValue } from "../core/dns_records.ts";
export type { DnsServer, ServerAddress } from "../core/dns_server.ts";
export type {
  AddressAnswer,
  AnswerAddress,
  HostAddress,
  HostnameResult,
  LookupSource,
  LookupStatus,
  LookupSummary,
  NameAnswer,
  ResolveMode,
  ResolveResult,
  ReverseResult,
} from "../core/name_lookup.ts";

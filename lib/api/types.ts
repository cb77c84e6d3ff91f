/**
 * The result types of the library's functions that are defined by the feature modules,
 * re-exported so that users can name them.
 * @module
 */
export type { ProtocolEntry, ServiceEntry } from "../netdb/mod.ts";
export type {
  EchoConnectionResult,
  EchoMismatch,
  EchoMode,
  EchoTestResult,
  RttSummary,
  ServeTotals,
  SessionEnd,
  SessionRecord,
  UdpCounts,
} from "../echo/mod.ts";
export type {
  LeftoverReport,
  ReceivedFile,
  ReceiveResult,
  ReceiveStatus,
  ReceiveSummary,
  SendResult,
  SendStatus,
  SendSummary,
  SentFile,
  TransferAddress,
  TransferCounts,
} from "../transfer/mod.ts";
export type {
  AddressAnswer,
  AnswerAddress,
  DnsExchange,
  DnsHeaderFlags,
  DnsRecord,
  DnsStatus,
  DnsTransport,
  HostAddress,
  HostnameResult,
  LookupBatch,
  LookupSource,
  LookupStatus,
  LookupSummary,
  NameAnswer,
  RecordValue,
  ResolveMode,
  ResolveResult,
  ReverseResult,
  ServerAddress,
  SourceChoice,
} from "../resolve/mod.ts";
export type {
  Expectation,
  IpProbeResult,
  Match,
  ProbeCounts,
  ProbeHooks,
  ProbeOptions,
  ProbeOutcome,
  ProbePlanInfo,
  ProbeProgress,
  ProbeResult,
  ProbeRun,
  ProbeState,
  ProbeSummary,
  ResultBase,
  ServicesTable,
  UnixProbeResult,
  WaitOptions,
  WaitSummary,
} from "../probe/mod.ts";
export type { AnswerOrigin } from "../core/name_lookup.ts";
export type { LocalDnsStatus } from "../core/dns_records.ts";
export type { PortToken } from "../core/port_list.ts";

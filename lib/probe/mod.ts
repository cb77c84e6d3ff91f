/**
 * The probe engine as a library: `probe()` for one pass over TCP, UDP and Unix socket endpoints,
 * `waitUntilOpen()` for rounds until they are open (or closed), both returning a
 * {@link ProbeRun} (an async iterable of results with the summary), and the result model they
 * share.
 * @module
 */
export { probe, type ProbeHooks, type ProbePlanInfo } from "./probe.ts";
export { waitUntilOpen } from "./wait.ts";
export type { OrderedProbeRun, ProbeOutcome, ProbeRun } from "./run.ts";
export {
  PROBE_DEFAULTS,
  type ProbeOptions,
  type ServicesTable,
  type WaitOptions,
} from "./options.ts";
export { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from "./sizing.ts";
export { isScan } from "./plan.ts";
export { parseProbeTarget, type ProbeTarget } from "./target.ts";
export {
  conditionMet,
  type Expectation,
  type IpProbeResult,
  type Match,
  PROBE_STATES,
  type ProbeCounts,
  probeExitCode,
  type ProbeProgress,
  type ProbeResult,
  type ProbeState,
  type ProbeSummary,
  type ResultBase,
  type UnixProbeResult,
  type WaitSummary,
} from "../core/probe_result.ts";

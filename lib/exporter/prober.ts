/**
 * What a prober gets and gives: the request, the socket adapter, the probe's gauges and log, the
 * deadline's signal; and whether the probe succeeded, with netdiag's failure stage and reason.
 * @module
 */
import type { NetAdapter } from "../net/types.ts";
import type { ProbeFailure } from "./failure.ts";
import type { Gauges } from "./gauges.ts";
import type { ProbeRequest } from "./types.ts";

/** What a prober works with. */
export interface ProberContext {
  readonly adapter: NetAdapter;
  readonly request: ProbeRequest;
  readonly gauges: Gauges;
  /** The probe's log (blackbox's debug messages). */
  readonly log: (message: string) => void;
  /** Aborted at the probe's deadline (or when the caller gives up). */
  readonly signal: AbortSignal;
  /** Milliseconds left until the deadline. */
  remainingMs(): number;
  /** The stage under way, for the failure families when the deadline cuts it. */
  stage: string;
}

/** A prober's answer. */
export interface ProberResult {
  readonly success: boolean;
  readonly failure?: ProbeFailure;
}

/** A prober: never rejects for a network outcome. */
export type Prober = (ctx: ProberContext) => Promise<ProberResult>;

/** A failed result, logged as blackbox logs its reasons. */
export function failed(
  ctx: ProberContext,
  stage: string,
  reason: string,
  message: string,
): ProberResult {
  ctx.log(message);
  return { success: false, failure: { stage, reason } };
}

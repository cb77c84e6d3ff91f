/**
 * netdiag's failure families: `netdiag_probe_failed_stage{stage}` and
 * `netdiag_probe_failure_info{stage,reason}`, where a reason is lib/check's vocabulary
 * (`tcp_refused`, `tls_cert_expired`, `http_status`, …) or the exporter's own for what only
 * blackbox modules check (`http_header_mismatch`, `http_version`, `http_ssl`, `expect_mismatch`,
 * `dns_rcode`, `dns_rr_mismatch`, `probe_timeout`, `bad_target`).
 * @module
 */
import type { Gauges } from "./gauges.ts";

/** Why a probe failed. */
export interface ProbeFailure {
  /** `resolve`, `connect`, `tls`, `http`, `expect`, `query`, `validate`. */
  readonly stage: string;
  readonly reason: string;
}

/** Sets the failure families. */
export function setFailure(gauges: Gauges, failure: ProbeFailure): void {
  gauges.set("netdiag_probe_failed_stage", 1, { stage: failure.stage });
  gauges.set("netdiag_probe_failure_info", 1, { stage: failure.stage, reason: failure.reason });
}

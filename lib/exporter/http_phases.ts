/**
 * `probe_http_duration_seconds{phase}` from netdiag check's hops, as blackbox_exporter sums its
 * round-trip traces: `resolve` (the exporter's own lookup for the first hop), and for each hop
 * that got a connection `connect` and `tls`, then `processing` once a response started and
 * `transfer` once it was read whole.
 * @module
 */
import type { CheckHop } from "../check/types.ts";
import { type Gauges, seconds } from "./gauges.ts";

/** Adds each hop's phases to `probe_http_duration_seconds`. */
export function addHttpPhases(gauges: Gauges, hops: readonly CheckHop[]): void {
  const add = (phase: string, ms: number) =>
    gauges.add("probe_http_duration_seconds", seconds(ms), { phase });
  hops.forEach((hop, i) => {
    if (i > 0) add("resolve", hop.timings.dnsMs);
    if (!hop.http) return;
    add("connect", hop.timings.connectMs);
    add("tls", hop.timings.tlsMs);
    if (hop.http.status !== "ok") return;
    const pre = hop.timings.cumulativeMs.pretransfer - hop.timings.cumulativeMs.connect -
      hop.timings.tlsMs;
    add("processing", pre + hop.timings.serverMs);
    add("transfer", hop.timings.transferMs);
  });
}

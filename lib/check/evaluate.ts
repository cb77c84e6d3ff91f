/**
 * A check's expectations once its hops are done: the status, the leaf's days left, the body and
 * the time limits; the first that fails is the verdict.
 * @module
 */
import { statusAccepted } from "./expect.ts";
import type { HttpResponse } from "./http.ts";
import type { StageFailure } from "./stage_failure.ts";
import type { CheckHop, CheckOptions, ExpectationResult, Slo } from "./types.ts";

/** Default accepted statuses. */
export const DEFAULT_EXPECT_STATUS = [{ from: 200, to: 399 }] as const;

/** Appends each expectation's result to `out`; returns the first failure, if any. */
export function evaluateExpectations(
  options: CheckOptions,
  hops: readonly CheckHop[],
  response: HttpResponse | undefined,
  out: ExpectationResult[],
): StageFailure | undefined {
  const last = hops[hops.length - 1];
  let failure: StageFailure | undefined;
  const note = (f: StageFailure) => (failure ??= f);
  if (response) {
    const ranges = options.expectStatus ?? DEFAULT_EXPECT_STATUS;
    const ok = statusAccepted(response.statusCode, ranges);
    const want = ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(",");
    out.push({ name: "status", ok, detail: `${response.statusCode}, expected ${want}` });
    if (!ok) {
      const detail = `status ${response.statusCode}, expected ${want}`;
      note({ stage: "http", reason: "http_status", detail });
    }
  }
  if (options.certMinDays !== undefined) {
    const leaf = last.tls?.handshake?.chain[0];
    const ok = !!leaf && leaf.daysLeft >= options.certMinDays;
    const detail = leaf
      ? `${leaf.daysLeft} days left, expected at least ${options.certMinDays}`
      : "no certificate";
    out.push({ name: "certMinDays", ok, detail });
    if (!ok) note({ stage: "expect", reason: "tls_cert_expiring", detail });
  }
  if (options.expectBody && response) {
    const ok = options.expectBody.test(new TextDecoder().decode(response.body));
    const detail = `${
      ok ? "matches" : "does not match"
    } /${options.expectBody.source}/ (first ${response.bodyBytes} bytes)`;
    out.push({ name: "body", ok, detail });
    if (!ok) note({ stage: "expect", reason: "http_body_mismatch", detail });
  }
  if (options.slo) {
    const over = (Object.entries(options.slo) as [keyof Slo, number][])
      .filter(([k, limit]) => last.timings.cumulativeMs[k] > limit)
      .map(([k, limit]) => `${k} ${last.timings.cumulativeMs[k].toFixed(1)}ms > ${limit}ms`);
    const detail = over.length ? over.join(", ") : "within limits";
    out.push({ name: "slo", ok: !over.length, detail });
    if (over.length) note({ stage: "expect", reason: "slo_exceeded", detail });
  }
  return failure;
}

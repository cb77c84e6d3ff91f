/**
 * Running one probe: the module's prober under the request's deadline. The deadline aborts the
 * work under way and the probe fails with the families set so far (as blackbox_exporter's
 * context deadline does); a network outcome is never a rejection. netdiag's failure families
 * (`netdiag_probe_failed_stage`, `netdiag_probe_failure_info`) say where and why it failed.
 * @module
 */
import type { NetAdapter } from "../net/types.ts";
import { setFailure } from "./failure.ts";
import { Gauges } from "./gauges.ts";
import type { Prober, ProberContext, ProberResult } from "./prober.ts";
import { probeDns } from "./prober_dns.ts";
import { probeHttp } from "./prober_http.ts";
import { probeTcp } from "./prober_tcp.ts";
import type { ProbeHooks, ProbeOutcome, ProbeRequest, ProberName } from "./types.ts";

const PROBERS: Readonly<Record<ProberName, Prober>> = {
  http: probeHttp,
  tcp: probeTcp,
  dns: probeDns,
};

function untilAbort(signal: AbortSignal): Promise<"aborted"> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve("aborted");
    else signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
}

/**
 * Probes `request.target` with `request.module` (see the module). Resolves with the outcome;
 * rejects only for a programming error's sake, never for the network.
 */
export async function runProbe(
  adapter: NetAdapter,
  request: ProbeRequest,
  hooks: ProbeHooks = {},
  signal?: AbortSignal,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error("probe deadline")), request.timeoutMs);
  const onAbort = () => deadline.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const ctx: ProberContext = {
    adapter,
    request,
    gauges: new Gauges(),
    log: hooks.log ?? (() => {}),
    signal: deadline.signal,
    remainingMs: () => Math.max(1, request.timeoutMs - (performance.now() - started)),
    stage: "resolve",
  };
  let result: ProberResult;
  try {
    const raced = await Promise.race([
      PROBERS[request.module.prober](ctx),
      untilAbort(deadline.signal),
    ]);
    result = raced === "aborted" ? timedOut(ctx) : raced;
  } catch (error) {
    if (deadline.signal.aborted) result = timedOut(ctx);
    else {
      ctx.log(
        `Probe failed with an internal error err=${(error as Error)?.message ?? String(error)}`,
      );
      result = { success: false, failure: { stage: ctx.stage, reason: "internal_error" } };
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
  if (!result.success && result.failure) setFailure(ctx.gauges, result.failure);
  return {
    success: result.success,
    durationSeconds: (performance.now() - started) / 1000,
    families: ctx.gauges.families(),
  };
}

function timedOut(ctx: ProberContext): ProberResult {
  ctx.log(`Probe deadline reached during stage ${ctx.stage} after ${ctx.request.timeoutMs} ms`);
  return { success: false, failure: { stage: ctx.stage, reason: "probe_timeout" } };
}

/**
 * The `check` engine: resolve → connect → TLS → HTTP, each stage timed with its outcome, redirect
 * hops each on their own (hop.ts), expectations (evaluate.ts), and a verdict with a reason from
 * {@link CheckReason}.
 * @module
 */
import type { NetAdapter } from "../net/types.ts";
import { evaluateExpectations } from "./evaluate.ts";
import type { HttpResponse } from "./http.ts";
import { runHop } from "./hop.ts";
import type { StageFailure } from "./stage_failure.ts";
import { parseCheckTarget, parseResolveEntry } from "./target.ts";
import {
  type CheckHooks,
  type CheckHop,
  type CheckOptions,
  type CheckReason,
  type CheckResult,
  type CheckVerdict,
  type ConnectAttempt,
  type ExpectationResult,
  NEGATIVE_REASONS,
} from "./types.ts";

export { DEFAULT_EXPECT_STATUS } from "./evaluate.ts";

/**
 * Checks `options.target` (see the module). Never rejects for a network outcome: a failure is
 * the verdict; rejects with an InputError for bad options and with the signal's reason on abort.
 */
export async function check(
  adapter: NetAdapter,
  options: CheckOptions,
  hooks: CheckHooks = {},
  signal?: AbortSignal,
): Promise<CheckResult> {
  const started = performance.now();
  const first = parseCheckTarget(options.target);
  const entries = (options.resolve ?? []).map(parseResolveEntry);
  const hops: CheckHop[] = [];
  let target = first;
  let failure: StageFailure | undefined;
  let allAddrs: ConnectAttempt[] | undefined;
  let lastResponse: HttpResponse | undefined;
  const maxRedirects = options.maxRedirects ?? 10;
  for (let hopIndex = 0;; hopIndex++) {
    signal?.throwIfAborted();
    const { hop, fail, response, everyAddress } = await runHop({
      adapter,
      options,
      entries,
      onStage: (stage, result) => hooks.onStage?.(hopIndex, stage, result),
      everyAddress: hopIndex === 0 && !!options.allAddrs && first.socketPath === undefined,
      signal,
    }, target);
    hops.push(hop);
    if (response) hooks.onResponse?.(hopIndex, response);
    if (everyAddress) allAddrs = everyAddress;
    failure = fail;
    lastResponse = response;
    const location = response?.headers.get("location");
    if (
      fail || !options.follow || !response || !location || response.statusCode < 300 ||
      response.statusCode > 399
    ) break;
    if (hopIndex >= maxRedirects) {
      const detail = `more than ${maxRedirects} redirects`;
      failure = { stage: "http", reason: "http_too_many_redirects", detail };
      break;
    }
    target = parseCheckTarget(new URL(location, target.url).href);
  }
  const expectations: ExpectationResult[] = [];
  if (!failure) failure = evaluateExpectations(options, hops, lastResponse, expectations);
  const verdict: CheckVerdict = failure ? { ok: false, ...failure } : { ok: true };
  return {
    target: first,
    hops,
    ...(allAddrs ? { allAddrs } : {}),
    expectations,
    verdict,
    exitCode: failure ? exitCodeOf(failure.reason) : 0,
    totalMs: performance.now() - started,
  };
}

function exitCodeOf(reason: CheckReason): 1 | 3 {
  return NEGATIVE_REASONS.has(reason) ? 1 : 3;
}

/**
 * One hop of a check (the first request, or a redirect): resolve → connect → TLS → HTTP, each
 * stage reported through `onStage` as it ends; the first failure ends the hop.
 * @module
 */
import type { NetAdapter } from "../net/types.ts";
import { connectEvery, connectStage, usesTls } from "./connect_stage.ts";
import type { HttpResponse } from "./http.ts";
import { httpStage } from "./http_stage.ts";
import { resolveStage } from "./resolve_stage.ts";
import type { StageFailure } from "./stage_failure.ts";
import type { ResolveEntry } from "./target.ts";
import { hopTimings, type PhaseTimes } from "./timings.ts";
import { tlsStage } from "./tls_stage.ts";
import type {
  CheckHop,
  CheckOptions,
  CheckStage,
  CheckTarget,
  ConnectAttempt,
  ConnectStage,
  HttpStage,
  TlsStage,
} from "./types.ts";

/** What one hop gives the check. */
export interface HopOutcome {
  readonly hop: CheckHop;
  readonly fail?: StageFailure;
  readonly response?: HttpResponse;
  /** Every address's own connect (`allAddrs`). */
  readonly everyAddress?: ConnectAttempt[];
}

/** How {@link runHop} runs and reports. */
export interface HopContext {
  readonly adapter: NetAdapter;
  readonly options: CheckOptions;
  readonly entries: readonly ResolveEntry[];
  readonly onStage: (stage: CheckStage, result: unknown) => void;
  /** Connect to every address too (`allAddrs`, on the first hop). */
  readonly everyAddress: boolean;
  readonly signal?: AbortSignal;
}

/** The stages a hop reached, and its phase times so far. */
interface HopParts {
  connect?: ConnectStage;
  tls?: TlsStage;
  http?: HttpStage;
  every?: ConnectAttempt[];
  times: { -readonly [K in keyof PhaseTimes]: number };
}

/** Runs one hop (see the module); never rejects for a network outcome, only on abort. */
export async function runHop(ctx: HopContext, target: CheckTarget): Promise<HopOutcome> {
  const { adapter, options, onStage, signal } = ctx;
  const resolved = await resolveStage(adapter, target, options, ctx.entries, signal);
  onStage("resolve", resolved.stage);
  const parts: HopParts = {
    times: { dns: resolved.stage.ms, connect: 0, tls: 0, pre: 0, server: 0, transfer: 0 },
  };
  const finish = (fail?: StageFailure, response?: HttpResponse): HopOutcome => ({
    hop: {
      target,
      resolve: resolved.stage,
      connect: parts.connect ?? { status: "skipped", ms: 0, port: target.port, attempts: [] },
      ...(parts.tls ? { tls: parts.tls } : {}),
      ...(parts.http ? { http: parts.http } : {}),
      timings: hopTimings(parts.times, usesTls(target, options)),
    },
    fail,
    response,
    everyAddress: parts.every,
  });
  if (resolved.fail) return finish(resolved.fail);
  const addresses = resolved.stage.addresses;
  if (ctx.everyAddress) {
    parts.every = await connectEvery(adapter, addresses, target.port, options, signal);
  }
  const connected = await connectStage(adapter, target, options, addresses, signal);
  parts.connect = connected.stage;
  parts.times.connect = connected.stage.ms;
  onStage("connect", connected.stage);
  if (connected.fail || !connected.done) return finish(connected.fail);
  const shaken = await tlsStage(connected.done, options.insecure, signal);
  if (shaken.stage) {
    parts.tls = shaken.stage;
    parts.times.tls = shaken.stage.ms;
    onStage("tls", shaken.stage);
  }
  const stream = shaken.stream;
  if (!stream || shaken.fail) {
    stream?.close();
    return finish(shaken.fail);
  }
  try {
    if (target.scheme === "tcp") return finish();
    const http = await httpStage(stream, target, options, signal);
    parts.http = http.stage;
    onStage("http", http.stage);
    const r = http.response;
    if (r) {
      parts.times.pre = http.preMs;
      parts.times.server = (r.firstByteAt || r.endAt) - r.sentAt;
      parts.times.transfer = r.endAt - (r.firstByteAt || r.endAt);
    }
    return finish(http.fail, r);
  } finally {
    stream.close();
  }
}

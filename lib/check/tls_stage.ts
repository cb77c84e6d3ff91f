/**
 * The TLS stage of a hop: the winner's handshake (or its failure) as a stage, and a verification
 * problem as the verdict's reason unless `insecure`.
 * @module
 */
import type { TlsHandshake } from "../net/tls.ts";
import { NetError } from "../net/types.ts";
import type { Stream } from "./connect_stage.ts";
import type { StageFailure } from "./stage_failure.ts";
import type { CheckReason, TlsStage } from "./types.ts";

/** The outcome of {@link tlsStage}. */
export interface TlsOutcome {
  /** Absent without TLS. */
  readonly stage?: TlsStage;
  readonly stream?: Stream;
  readonly fail?: StageFailure;
}

/**
 * Waits for the connection (the end of its handshake) and describes the handshake; a failed
 * handshake is `tls_timeout` or `tls_handshake_failed`, a verification problem its own reason.
 */
export async function tlsStage(
  done: Promise<Stream>,
  insecure: boolean | undefined,
  signal?: AbortSignal,
): Promise<TlsOutcome> {
  const t0 = performance.now();
  let stream: Stream;
  try {
    stream = await done;
  } catch (error) {
    signal?.throwIfAborted();
    const timeout = error instanceof NetError && error.code === "ETIMEDOUT";
    const detail = error instanceof Error ? error.message : String(error);
    return {
      stage: { status: "failed", ms: performance.now() - t0, error: detail },
      fail: { stage: "tls", reason: timeout ? "tls_timeout" : "tls_handshake_failed", detail },
    };
  }
  if (!("handshake" in stream)) return { stream };
  const h = stream.handshake;
  const verified = h.reasons.length === 0;
  const stage: TlsStage = {
    status: verified || insecure ? "ok" : "failed",
    ms: stream.tlsMs,
    handshake: h,
  };
  if (verified || insecure) return { stage, stream };
  return { stage, stream, fail: verificationFailure(h) };
}

function verificationFailure(h: TlsHandshake): StageFailure {
  const r = h.reasons[0];
  const reason: CheckReason = r === "expired"
    ? "tls_cert_expired"
    : r === "not_yet_valid"
    ? "tls_cert_not_yet_valid"
    : r === "hostname_mismatch"
    ? "tls_hostname_mismatch"
    : r === "incomplete_chain"
    ? "tls_cert_incomplete_chain"
    : "tls_cert_untrusted";
  const detail = `certificate ${h.reasons.join(", ").replaceAll("_", " ")}` +
    (h.authorizationError ? ` (${h.authorizationError})` : "");
  return { stage: "tls", reason, detail };
}

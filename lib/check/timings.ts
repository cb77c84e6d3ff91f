/**
 * A hop's timings: per phase as httpstat draws them, and cumulative as curl's `-w` names them
 * (milliseconds, and seconds under `curl`).
 * @module
 */
import type { CheckTimings, Slo } from "./types.ts";

/** The phases of one hop in milliseconds (0 for a phase that did not happen). */
export interface PhaseTimes {
  readonly dns: number;
  readonly connect: number;
  readonly tls: number;
  /** From the handshake's end to the request written. */
  readonly pre: number;
  /** From the request written to the first response byte. */
  readonly server: number;
  /** From the first response byte to the end. */
  readonly transfer: number;
}

/** The timings of `phases`; `usedTls` decides whether `appconnect` is set (curl: 0 without). */
export function hopTimings(phases: PhaseTimes, usedTls: boolean): CheckTimings {
  const { dns, connect, tls, pre, server, transfer } = phases;
  const conn = dns + connect;
  const pretransfer = conn + tls + pre;
  const cumulativeMs = {
    namelookup: dns,
    connect: conn,
    appconnect: usedTls ? conn + tls : 0,
    pretransfer,
    starttransfer: server ? pretransfer + server : 0,
    total: pretransfer + server + transfer,
  };
  const curl: Required<Slo> = {
    namelookup: seconds(cumulativeMs.namelookup),
    connect: seconds(cumulativeMs.connect),
    appconnect: seconds(cumulativeMs.appconnect),
    pretransfer: seconds(cumulativeMs.pretransfer),
    starttransfer: seconds(cumulativeMs.starttransfer),
    total: seconds(cumulativeMs.total),
  };
  return {
    dnsMs: dns,
    connectMs: connect,
    tlsMs: tls,
    serverMs: server,
    transferMs: transfer,
    cumulativeMs,
    curl,
  };
}

/** Milliseconds to seconds with microsecond precision, as curl prints them. */
function seconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

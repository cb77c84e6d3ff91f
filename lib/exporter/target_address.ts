/**
 * Picking the address a probe dials, as blackbox_exporter's `chooseProtocol` does: resolve the
 * target's host, take the first address of `preferred_ip_protocol` (default ip6), or with
 * `ip_protocol_fallback` (default true) the other family's when there is none; set
 * `probe_dns_lookup_time_seconds`, `probe_ip_protocol` (4 or 6) and `probe_ip_addr_hash` (FNV-1a
 * of the address's 4 or 16 bytes). Resolution goes through getaddrinfo (hosts file, then DNS).
 * @module
 */
import { inetPton4, inetPton6 } from "../core/inet_pton.ts";
import { ipFamily } from "../net/host_lookup.ts";
import { type SystemAddress, systemLookup } from "../net/system_resolver.ts";
import { type Gauges, seconds } from "./gauges.ts";
import { failed, type ProberContext, type ProberResult } from "./prober.ts";
import type { IpProtocol } from "./types.ts";

/** The address picked, the seconds the lookup took, and every address of the name. */
export interface ChosenAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly lookupSeconds: number;
  readonly all: readonly SystemAddress[];
}

/** Options of {@link chooseAddress}. */
export interface ChooseAddressOptions {
  readonly preferred: IpProtocol;
  readonly fallback: boolean;
  /** The lookup's time limit (ms). */
  readonly timeoutMs: number;
  readonly log: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** FNV-1a (32 bits) of the address's bytes, as `probe_ip_addr_hash` has it. */
export function ipHash(address: string): number {
  const bytes = ipFamily(address) === 6 ? inetPton6(address) : inetPton4(address);
  let h = 0x811c9dc5;
  for (const b of bytes ?? []) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Resolves `host` and picks the address (see the module); sets the three gauges. Returns the
 * address, or a string saying why there is none (the gauges then read 0, as blackbox's do).
 */
export async function chooseAddress(
  host: string,
  gauges: Gauges,
  options: ChooseAddressOptions,
): Promise<ChosenAddress | string> {
  const { preferred, fallback, log } = options;
  gauges.define("probe_ip_protocol");
  gauges.define("probe_ip_addr_hash");
  gauges.define("probe_dns_lookup_time_seconds");
  log(`Resolving target address target=${host} ip_protocol=${preferred}`);
  const started = performance.now();
  const want = preferred === "ip6" ? 6 : 4;
  const literal = ipFamily(host);
  let all: SystemAddress[];
  let why: string | undefined;
  if (literal) {
    all = [{ address: host, family: literal }];
  } else {
    const found = await systemLookup(host, {
      ...(fallback ? {} : { family: want }),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    all = [...found.addresses];
    if (found.status !== "ok") why = `lookup ${host}: ${found.code ?? found.status}`;
  }
  const lookupSeconds = seconds(performance.now() - started);
  gauges.add("probe_dns_lookup_time_seconds", lookupSeconds);
  const pick = all.find((a) => a.family === want) ?? (fallback ? all[0] : undefined);
  if (!pick) {
    const reason = why ??
      (fallback ? "unable to find ip; no fallback" : `no IPv${want} address for ${host}`);
    log(`Resolution with IP protocol failed target=${host} err=${reason}`);
    return reason;
  }
  log(`Resolved target address target=${host} ip=${pick.address}`);
  gauges.set("probe_ip_protocol", pick.family);
  gauges.set("probe_ip_addr_hash", ipHash(pick.address));
  return { address: pick.address, family: pick.family, lookupSeconds, all };
}

/** A module's `preferred_ip_protocol` and `ip_protocol_fallback`. */
export interface IpProtocolChoice {
  readonly preferredIpProtocol: IpProtocol;
  readonly ipProtocolFallback: boolean;
}

/**
 * {@link chooseAddress} for a prober: the address, or the probe's failure (`resolve`,
 * `dns_failure`) with blackbox's log line when there is none.
 */
export async function addressForProbe(
  ctx: ProberContext,
  host: string,
  choice: IpProtocolChoice,
): Promise<ChosenAddress | ProberResult> {
  const chosen = await chooseAddress(host, ctx.gauges, {
    preferred: choice.preferredIpProtocol,
    fallback: choice.ipProtocolFallback,
    timeoutMs: ctx.remainingMs(),
    log: ctx.log,
    signal: ctx.signal,
  });
  if (typeof chosen !== "string") return chosen;
  return failed(ctx, "resolve", "dns_failure", `Error resolving address err=${chosen}`);
}

/**
 * The `dns` prober: the target is the DNS server (`host[:port]`, port 53 by default), picked as
 * blackbox_exporter picks an address; one query (`query_name`, `query_type`, `query_class`, RD)
 * over UDP or TCP; then blackbox's checks: the response code against `valid_rcodes`, and each
 * section's records, in miekg/dns's text form, against the `validate_*_rrs` regular expressions.
 * @module
 */
import type { WireRecord } from "../core/dns_records.ts";
import { DNS_QUERY_CLASSES, DNS_QUERY_TYPES, DNS_RCODES } from "./config_probers.ts";
import { dnsExchange } from "./dns_exchange.ts";
import { encodeDnsQuery, rrText } from "./dns_wire.ts";
import { seconds } from "./gauges.ts";
import { failed, type ProberContext, type ProberResult } from "./prober.ts";
import { addressForProbe } from "./target_address.ts";
import type { RrValidation } from "./types.ts";

/** Time kept back from the deadline so that a timed-out query still reports its phases. */
const DEADLINE_MARGIN_MS = 20;

/** Whether the records pass `v` (blackbox's validRRs); logs why not. */
export function validRrs(ctx: ProberContext, rrs: readonly string[], v: RrValidation): boolean {
  if (!rrs.length && v.failIfNotMatchesRegexp.length) {
    ctx.log("fail_if_not_matches_regexp specified but no RRs returned");
    return false;
  }
  if (!rrs.length && v.failIfNoneMatchesRegexp.length) {
    ctx.log("fail_if_none_matches_regexp specified but no RRs returned");
    return false;
  }
  let anyMatch = false, allMatch = true;
  for (const rr of rrs) {
    ctx.log(`Validating RR rr=${JSON.stringify(rr)}`);
    const hit = v.failIfMatchesRegexp.find((re) => re.test(rr));
    if (hit) return (ctx.log(`At least one RR matched regexp regexp=${hit.source}`), false);
    if (v.failIfAllMatchRegexp.some((re) => !re.test(rr))) allMatch = false;
    const miss = v.failIfNotMatchesRegexp.find((re) => !re.test(rr));
    if (miss) return (ctx.log(`At least one RR did not match regexp regexp=${miss.source}`), false);
    if (v.failIfNoneMatchesRegexp.some((re) => re.test(rr))) anyMatch = true;
  }
  if (v.failIfAllMatchRegexp.length && allMatch) {
    return (ctx.log("Not all RRs matched regexp"), false);
  }
  if (v.failIfNoneMatchesRegexp.length && !anyMatch) {
    return (ctx.log("None of the RRs did matched any regexp"), false);
  }
  return true;
}

function target(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]*):(\d+)$/.exec(text);
  if (m) return { host: m[1], port: Number(m[2]) };
  return { host: text.replace(/^\[|\]$/g, ""), port: 53 };
}

/** Runs the dns prober (see the module). */
export async function probeDns(ctx: ProberContext): Promise<ProberResult> {
  const dns = ctx.request.module.dns!;
  const g = ctx.gauges;
  g.define("probe_dns_duration_seconds", true);
  for (
    const name of [
      "probe_dns_answer_rrs",
      "probe_dns_authority_rrs",
      "probe_dns_additional_rrs",
      "probe_dns_query_succeeded",
    ]
  ) g.define(name);
  for (const phase of ["resolve", "connect", "request"]) {
    g.add("probe_dns_duration_seconds", 0, { phase });
  }
  const { host, port } = target(ctx.request.target);
  const chosen = await addressForProbe(ctx, host, dns);
  if ("success" in chosen) return chosen;
  g.set("probe_dns_duration_seconds", chosen.lookupSeconds, { phase: "resolve" });
  const id = Math.floor(Math.random() * 65536);
  const query = encodeDnsQuery(
    id,
    dns.queryName,
    DNS_QUERY_TYPES[dns.queryType],
    DNS_QUERY_CLASSES[dns.queryClass],
    dns.recursionDesired,
  );
  ctx.stage = "query";
  ctx.log(
    `Making DNS query target=${chosen.address}:${port} dial_protocol=${dns.transportProtocol}${chosen.family} query=${dns.queryName} type=${
      DNS_QUERY_TYPES[dns.queryType]
    } class=${DNS_QUERY_CLASSES[dns.queryClass]}`,
  );
  const x = await dnsExchange(ctx.adapter, {
    address: chosen.address,
    family: chosen.family,
    port,
    transport: dns.transportProtocol,
    query,
    timeoutMs: ctx.remainingMs() - DEADLINE_MARGIN_MS,
    signal: ctx.signal,
  });
  g.set("probe_dns_duration_seconds", seconds(x.connectMs), { phase: "connect" });
  g.set("probe_dns_duration_seconds", seconds(x.requestMs), { phase: "request" });
  if (!x.response) {
    const reason = x.error === "i/o timeout" ? "dns_timeout" : "dns_failure";
    return failed(ctx, "query", reason, `Error while sending a DNS query err=${x.error}`);
  }
  const r = x.response;
  ctx.log(
    `Got response rcode=${r.rcode} answer=${r.answers.length} authority=${r.authorities.length} additional=${r.additionals.length}`,
  );
  g.set("probe_dns_answer_rrs", r.answers.length);
  g.set("probe_dns_authority_rrs", r.authorities.length);
  g.set("probe_dns_additional_rrs", r.additionals.length);
  g.set("probe_dns_query_succeeded", 1);
  if (dns.queryType === "SOA") {
    g.define("probe_dns_serial");
    for (const a of r.answers) {
      if (a.type === "SOA" && a.class === "IN") {
        g.set("probe_dns_serial", (a.data as { serial: number }).serial);
      }
    }
  }
  return validate(ctx, r.rcode, r.answers, r.authorities, r.additionals);
}

function validate(
  ctx: ProberContext,
  rcode: string,
  answers: readonly WireRecord[],
  authority: readonly WireRecord[],
  additional: readonly WireRecord[],
): ProberResult {
  const dns = ctx.request.module.dns!;
  ctx.stage = "validate";
  if (!dns.validRcodes.includes(rcode)) {
    return failed(
      ctx,
      "validate",
      "dns_rcode",
      `Rcode is not one of the valid rcodes rcode=${
        DNS_RCODES[rcode] ?? rcode
      } string_rcode=${rcode} valid_rcodes=${dns.validRcodes.join(",")}`,
    );
  }
  ctx.log(`Rcode is valid rcode=${DNS_RCODES[rcode]} string_rcode=${rcode}`);
  const sections = [
    ["Answer", answers, dns.validateAnswerRrs],
    ["Authority", authority, dns.validateAuthorityRrs],
    ["Additional", additional, dns.validateAdditionalRrs],
  ] as const;
  for (const [name, rrs, v] of sections) {
    ctx.log(`Validating ${name} RRs`);
    if (!validRrs(ctx, rrs.map(rrText), v)) {
      return failed(ctx, "validate", "dns_rr_mismatch", `${name} RRs validation failed`);
    }
  }
  return { success: true };
}

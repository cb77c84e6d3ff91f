/**
 * The gauges one probe sets, as blackbox_exporter's per-probe registry holds them: a family
 * exists once defined (a plain gauge then reads 0, as a registered Go gauge does; a labelled one
 * has no sample until one is set), HELP texts come from {@link HELP}, and families come out in
 * the order they were defined.
 * @module
 */
import type { MetricFamily, Sample } from "./types.ts";

/** HELP texts of every family the probers set: blackbox_exporter 0.23's, then netdiag's own. */
export const HELP: Readonly<Record<string, string>> = {
  probe_dns_lookup_time_seconds: "Returns the time taken for probe dns lookup in seconds",
  probe_ip_protocol: "Specifies whether probe ip protocol is IP4 or IP6",
  probe_ip_addr_hash:
    "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
  probe_http_duration_seconds: "Duration of http request by phase, summed over all redirects",
  probe_http_content_length: "Length of http content response",
  probe_http_uncompressed_body_length: "Length of uncompressed response body",
  probe_http_redirects: "The number of redirects",
  probe_http_ssl: "Indicates if SSL was used for the final redirect",
  probe_http_status_code: "Response HTTP status code",
  probe_http_version: "Returns the version of HTTP of the probe response",
  probe_failed_due_to_regex: "Indicates if probe failed due to regex",
  probe_http_last_modified_timestamp_seconds:
    "Returns the Last-Modified HTTP response header in unixtime",
  probe_ssl_earliest_cert_expiry: "Returns last SSL chain expiry in unixtime",
  probe_ssl_last_chain_expiry_timestamp_seconds: "Returns last SSL chain expiry in timestamp",
  probe_ssl_last_chain_info: "Contains SSL leaf certificate information",
  probe_tls_version_info: "Returns the TLS version used or NaN when unknown",
  probe_dns_duration_seconds: "Duration of DNS request by phase",
  probe_dns_answer_rrs: "Returns number of entries in the answer resource record list",
  probe_dns_authority_rrs: "Returns number of entries in the authority resource record list",
  probe_dns_additional_rrs: "Returns number of entries in the additional resource record list",
  probe_dns_query_succeeded: "Displays whether or not the query was executed successfully",
  probe_dns_serial: "Returns the serial number of the zone",
  netdiag_probe_failed_stage: "The stage at which the probe failed (1), netdiag's addition",
  netdiag_probe_failure_info: "Why the probe failed: the stage and netdiag check's reason (1)",
  netdiag_tls_cert_not_after_timestamp_seconds:
    "The leaf certificate's notAfter in unixtime, also when verification failed",
  netdiag_tls_cert_verified: "Whether the certificate chain and host name verified (1) or not (0)",
  netdiag_tls_cert_info:
    "The leaf certificate as presented, also when verification failed, with the verification error",
  netdiag_address_up: "Whether a TCP connect to this address of the target succeeded",
  netdiag_address_connect_seconds: "The TCP connect time to this address of the target",
  netdiag_connect_loss_ratio: "The share of the module's netdiag.connects connects that failed",
  netdiag_connect_rtt_seconds: "TCP connect time over the module's netdiag.connects connects",
};

type Labels = Readonly<Record<string, string>>;

function sameLabels(a: Labels | undefined, b: Labels | undefined): boolean {
  const ea = Object.entries(a ?? {}), eb = Object.entries(b ?? {});
  return ea.length === eb.length && ea.every(([k, v]) => b?.[k] === v);
}

/** The families of one probe (see the module). */
export class Gauges {
  readonly #families = new Map<string, Sample[]>();

  /** Defines `name`; a family without labels then reads 0. */
  define(name: string, labelled = false): void {
    if (!(name in HELP)) throw new TypeError(`no HELP text for ${JSON.stringify(name)}`);
    if (!this.#families.has(name)) this.#families.set(name, labelled ? [] : [{ value: 0 }]);
  }

  /** Sets the sample of `name` with `labels` (defining the family). */
  set(name: string, value: number, labels?: Labels): void {
    this.define(name, !!labels);
    const samples = this.#families.get(name)!;
    const i = samples.findIndex((s) => sameLabels(s.labels, labels));
    const sample = labels ? { labels, value } : { value };
    if (i >= 0) samples[i] = sample;
    else samples.push(sample);
  }

  /** Adds `value` to the sample of `name` with `labels`. */
  add(name: string, value: number, labels?: Labels): void {
    this.define(name, !!labels);
    const current = this.#families.get(name)!.find((s) => sameLabels(s.labels, labels))?.value ?? 0;
    this.set(name, current + value, labels);
  }

  /** Whether `name` is defined. */
  has(name: string): boolean {
    return this.#families.has(name);
  }

  /** The families, in definition order. */
  families(): MetricFamily[] {
    return [...this.#families].map(([name, samples]) => ({
      name,
      help: HELP[name],
      type: "gauge" as const,
      samples: [...samples],
    }));
  }
}

/** Milliseconds as seconds in whole nanoseconds, as Go's time.Duration.Seconds() gives them. */
export function seconds(ms: number): number {
  return Math.round(ms * 1e6) / 1e9;
}

/**
 * The exporter's vocabulary: a loaded blackbox.yml, a probe's request and outcome, and the metric
 * families a probe returns. Shared by the config loader, the probers, the exposition writer and
 * the HTTP server, so that each can be written and tested on its own.
 * @module
 */

/** The probers netdiag runs. `icmp` and `grpc` are refused at load (see {@link ConfigError}). */
export type ProberName = "http" | "tcp" | "dns";

/** `preferred_ip_protocol`: blackbox_exporter's `ip4`/`ip6` (default `ip6`, as blackbox has it). */
export type IpProtocol = "ip4" | "ip6";

/** `tls_config` of a module. */
export interface TlsConfig {
  readonly insecureSkipVerify: boolean;
  /** The CA file's PEM text, read at load (relative paths from the config file's directory). */
  readonly ca?: string;
  /** The CA file as written in the config. */
  readonly caFile?: string;
  readonly serverName?: string;
  /** `TLS10`, `TLS11`, `TLS12`, `TLS13`. */
  readonly minVersion?: "TLS10" | "TLS11" | "TLS12" | "TLS13";
}

/** A `fail_if_header_(not_)matches` entry. */
export interface HeaderMatch {
  readonly header: string;
  readonly regexp: RegExp;
  readonly allowMissing: boolean;
}

/** The `http` section of a module, defaults applied. */
export interface HttpModule {
  /** Empty means 2xx, as blackbox_exporter has it. */
  readonly validStatusCodes: readonly number[];
  /** Empty means any; otherwise e.g. `HTTP/1.1`. */
  readonly validHttpVersions: readonly string[];
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Default true. */
  readonly followRedirects: boolean;
  readonly failIfSsl: boolean;
  readonly failIfNotSsl: boolean;
  readonly failIfBodyMatchesRegexp: readonly RegExp[];
  readonly failIfBodyNotMatchesRegexp: readonly RegExp[];
  readonly failIfHeaderMatches: readonly HeaderMatch[];
  readonly failIfHeaderNotMatches: readonly HeaderMatch[];
  readonly tlsConfig: TlsConfig;
  readonly preferredIpProtocol: IpProtocol;
  /** Default true. */
  readonly ipProtocolFallback: boolean;
  /** `body_size_limit` in bytes: a longer body fails the probe. Absent: no limit. */
  readonly bodySizeLimit?: number;
}

/** One step of a tcp module's `query_response`. */
export interface QueryResponseStep {
  readonly expect?: RegExp;
  readonly send?: string;
  readonly starttls: boolean;
}

/** The `tcp` section of a module, defaults applied. */
export interface TcpModule {
  readonly queryResponse: readonly QueryResponseStep[];
  readonly tls: boolean;
  readonly tlsConfig: TlsConfig;
  readonly preferredIpProtocol: IpProtocol;
  readonly ipProtocolFallback: boolean;
}

/** `validate_answer_rrs` and friends. */
export interface RrValidation {
  readonly failIfMatchesRegexp: readonly RegExp[];
  readonly failIfAllMatchRegexp: readonly RegExp[];
  readonly failIfNotMatchesRegexp: readonly RegExp[];
  readonly failIfNoneMatchesRegexp: readonly RegExp[];
}

/** The `dns` section of a module, defaults applied. */
export interface DnsModule {
  readonly queryName: string;
  /** Default `ANY` as in blackbox_exporter. */
  readonly queryType: string;
  /** Default `IN`. */
  readonly queryClass: string;
  /** Default `["NOERROR"]`. */
  readonly validRcodes: readonly string[];
  readonly validateAnswerRrs: RrValidation;
  readonly validateAuthorityRrs: RrValidation;
  readonly validateAdditionalRrs: RrValidation;
  /** Default `udp`. */
  readonly transportProtocol: "udp" | "tcp";
  /** Default true. */
  readonly recursionDesired: boolean;
  readonly preferredIpProtocol: IpProtocol;
  readonly ipProtocolFallback: boolean;
}

/** netdiag's own module options (`netdiag:` section of a module); never change blackbox series. */
export interface NetdiagModuleOptions {
  /** Report every address of the target's name (`netdiag_address_*` series). Default false. */
  readonly allAddresses: boolean;
  /** Connect this many times and report loss and RTT percentiles (`netdiag_connect_*`). Default 1. */
  readonly connects: number;
}

/** One module of blackbox.yml. */
export interface Module {
  readonly name: string;
  readonly prober: ProberName;
  /** The module's `timeout` in milliseconds; 0 when unset (the scrape's timeout rules). */
  readonly timeoutMs: number;
  readonly http?: HttpModule;
  readonly tcp?: TcpModule;
  readonly dns?: DnsModule;
  readonly netdiag: NetdiagModuleOptions;
}

/** A loaded configuration. */
export interface ExporterConfig {
  readonly modules: ReadonlyMap<string, Module>;
  /** The file's text, as `/config` shows it. */
  readonly source: string;
}

/** A metric sample: labels and a value. */
export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family as the Prometheus text format writes it. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "gauge" | "counter" | "untyped";
  readonly samples: readonly Sample[];
}

/** What the server asks a prober. */
export interface ProbeRequest {
  /** The `target` query parameter, as given. */
  readonly target: string;
  readonly module: Module;
  /** The `hostname` query parameter (Host header / SNI override for http). */
  readonly hostname?: string;
  /** The probe's deadline in milliseconds (scrape timeout minus offset, capped by the module). */
  readonly timeoutMs: number;
}

/** Hooks of a probe: its log, as `&debug=true` shows it. */
export interface ProbeHooks {
  readonly log?: (message: string) => void;
}

/** A probe's outcome: `probe_success` and the families the prober set. */
export interface ProbeOutcome {
  readonly success: boolean;
  /** Seconds, as `probe_duration_seconds` reports it. */
  readonly durationSeconds: number;
  /** The prober's families (not `probe_success` / `probe_duration_seconds`). */
  readonly families: readonly MetricFamily[];
}

/** A config that cannot be used: the message names the module and key, values quoted. */
export class ConfigError extends Error {
  /** @param message What is wrong, e.g. `module "x": unknown key "http.foo"`. */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

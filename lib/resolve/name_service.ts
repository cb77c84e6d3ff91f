/**
 * Name lookups as `resolve`, `reverse` and `hostname --fqdn` do them, from three sources:
 *
 * - `hosts`: the hosts file, parsed the way glibc's files module reads it (lib/core/hosts_file.ts);
 * - `dns`: a DNS server asked directly (lib/net/dns_client.ts), the one given or resolv.conf's
 *   first;
 * - `system`: getaddrinfo for addresses (lib/net/system_resolver.ts); for gethostbyname_ex and
 *   gethostbyaddr, which have no JavaScript API, the same "files, then dns" order glibc follows
 *   with the default nsswitch.conf, through the two sources above.
 * @module
 */
import { type IpLiteral, parseScopedIpLiteral, validateDnsName } from "../core/dns_name.ts";
import { type DnsServer, formatServerAddress, serverAddress } from "../core/dns_server.ts";
import { hostsByAddress, hostsByName, type HostsLine, hostsLookup } from "../core/hosts_file.ts";
import { parseHostsFile } from "../core/hosts_file.ts";
import {
  type AddressAnswer,
  answersAgree,
  combineStatus,
  type LookupSource,
  type LookupStatus,
  type NameAnswer,
  type ResolveMode,
  type ResolveResult,
  type ReverseResult,
} from "../core/name_lookup.ts";
import { defaultDnsServer, parseResolvConf, RESOLV_CONF_PATH } from "../core/resolv_conf.ts";
import { quote } from "../core/errors.ts";
import { DnsClient } from "../net/dns_client.ts";
import type { NetAdapter } from "../net/types.ts";
import { systemLookup } from "../net/system_resolver.ts";
import { readTextFile } from "../runtime/read_text.ts";
import { dnsAddresses, dnsFailureStatus, dnsReason, reverseDnsAnswer } from "./dns_answers.ts";

/** Options of {@link NameService}. */
export interface NameServiceOptions {
  /** The hosts file; default /etc/hosts. */
  readonly hostsPath?: string;
  /** The DNS server; default the first nameserver of resolv.conf. */
  readonly server?: DnsServer;
  /** resolv.conf, for the default server; default /etc/resolv.conf. */
  readonly resolvConfPath?: string;
  /** Time limit per lookup in milliseconds; default 5 000. */
  readonly timeoutMs?: number;
  /** Only IPv4 (4) or IPv6 (6) addresses in `resolve`'s default mode; default both. */
  readonly family?: 4 | 6;
  /** DNS over TCP only; default false (UDP, TCP when truncated). */
  readonly tcp?: boolean;
  /** The socket adapter for DNS; default the runtime's. */
  readonly adapter?: NetAdapter;
  /**
   * The signal of the batch the service answers, if any: its DNS client ends every query at once
   * when it aborts, so lookups that pass the same signal cost no abort listener each.
   */
  readonly signal?: AbortSignal;
}

/**
 * The DNS server to ask: `server` when given, else the first nameserver of resolv.conf (else
 * 127.0.0.1, glibc's default).
 */
export async function dnsServerFor(
  server?: DnsServer,
  resolvConfPath = RESOLV_CONF_PATH,
): Promise<DnsServer> {
  if (server) return server;
  try {
    return defaultDnsServer(parseResolvConf(await readTextFile(resolvConfPath)));
  } catch {
    return defaultDnsServer(parseResolvConf(""));
  }
}

/** Milliseconds since `started`, to the microsecond. */
export const elapsed = (started: number): number =>
  Math.round((performance.now() - started) * 1000) / 1000;

/**
 * Looks names and addresses up; holds the hosts file and the DNS socket. Close it when done.
 * Every lookup takes an AbortSignal; an aborted lookup ends at once as a failure.
 */
export class NameService {
  /** The hosts file read. */
  readonly hostsPath: string;
  readonly #options: NameServiceOptions;
  readonly #timeoutMs: number;
  #hosts: Promise<HostsLine[] | undefined> | undefined;
  #server: Promise<DnsServer> | undefined;
  #client: Promise<DnsClient> | undefined;

  /** Creates a name service; nothing is read or opened until a lookup needs it. */
  constructor(options: NameServiceOptions = {}) {
    this.#options = options;
    this.hostsPath = options.hostsPath ?? "/etc/hosts";
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The DNS server DNS lookups go to. */
  server(): Promise<DnsServer> {
    this.#server ??= dnsServerFor(this.#options.server, this.#options.resolvConfPath);
    return this.#server;
  }

  /** Releases the DNS socket. */
  close(): void {
    this.#client?.then((c) => c.close(), () => {});
  }

  #hostsLines(): Promise<HostsLine[] | undefined> {
    this.#hosts ??= readTextFile(this.hostsPath).then(parseHostsFile, () => undefined);
    return this.#hosts;
  }

  /** The DNS client, opened on first use. */
  dns(): Promise<DnsClient> {
    this.#client ??= this.server().then((server) =>
      DnsClient.open(server, {
        timeoutMs: this.#timeoutMs,
        tcp: this.#options.tcp,
        adapter: this.#options.adapter,
        signal: this.#options.signal,
      })
    );
    return this.#client;
  }

  /** Resolves one name from each of `sources`, in `mode`. */
  async resolve(
    name: string,
    sources: readonly LookupSource[],
    mode: ResolveMode,
    signal?: AbortSignal,
  ): Promise<ResolveResult> {
    const started = performance.now();
    const literal = parseScopedIpLiteral(name);
    const answers = await Promise.all(
      sources.map((source) =>
        literal
          ? this.#literal(name, literal, source, mode)
          : this.#resolveFrom(name, source, mode, signal)
      ),
    );
    const answered = answers.filter((a) => a.status === "ok");
    return {
      name,
      mode,
      status: combineStatus(answers.map((a) => a.status)),
      answers,
      ...(sources.length > 1
        ? { agree: answersAgree(answered.map((a) => a.addresses.map((x) => x.address))) }
        : {}),
      timeMs: elapsed(started),
    };
  }

  /**
   * gethostbyaddr for one address (or a name, looked up first) from each of `sources`. An IPv6
   * zone (`fe80::1%eth0`) stays in the reported address and is left out of the lookups.
   */
  async reverse(
    query: string,
    sources: readonly LookupSource[],
    signal?: AbortSignal,
  ): Promise<ReverseResult> {
    const started = performance.now();
    let ip: IpLiteral | undefined = parseScopedIpLiteral(query);
    if (!ip) {
      const found = await this.#firstAddress(validateDnsName(query), sources, signal);
      if ("status" in found) {
        return { query, ...found, answers: [], timeMs: elapsed(started) };
      }
      ip = found;
    }
    const target = ip;
    const answers = await Promise.all(sources.map((s) => this.#reverseFrom(target, s, signal)));
    const answered = answers.filter((a) => a.status === "ok");
    return {
      query,
      address: target.text,
      family: target.family,
      status: combineStatus(answers.map((a) => a.status)),
      answers,
      ...(sources.length > 1
        ? { agree: answersAgree(answered.map((a) => [a.hostname ?? ""])) }
        : {}),
      timeMs: elapsed(started),
    };
  }

  /** CPython's setipaddr for a name: the first address getaddrinfo (or the hosts file) gives. */
  async #firstAddress(
    name: string,
    sources: readonly LookupSource[],
    signal: AbortSignal | undefined,
  ): Promise<IpLiteral | { status: LookupStatus; reason: string }> {
    if (sources.length === 1 && sources[0] === "hosts") {
      const lines = await this.#hostsLines();
      const first = lines && hostsLookup(lines, name)?.addresses[0];
      if (!first) {
        return { status: "not-found", reason: `${quote(name)} is not in ${this.hostsPath}` };
      }
      return parseScopedIpLiteral(first.address) ?? unreadable(first.address, this.hostsPath);
    }
    const found = await systemLookup(name, { timeoutMs: this.#timeoutMs, signal });
    if (found.status !== "ok") {
      return {
        status: systemStatus(found.status),
        reason: `cannot resolve ${quote(name)}: ${systemReason(found.status, found.code)}`,
      };
    }
    const address = found.addresses[0].address;
    return parseScopedIpLiteral(address) ?? unreadable(address, "getaddrinfo");
  }

  #literal(name: string, ip: IpLiteral, source: LookupSource, mode: ResolveMode): NameAnswer {
    const family = mode === "all" ? this.#options.family : 4;
    const ok = !family || family === ip.family;
    return {
      source,
      status: ok ? "ok" : "no-data",
      from: "address literal",
      canonicalName: name,
      aliases: [],
      addresses: ok ? [{ address: ip.text, family: ip.family }] : [],
      ...(ok ? {} : { reason: `${name} is not an IPv${family} address` }),
      timeMs: 0,
    };
  }

  #resolveFrom(
    name: string,
    source: LookupSource,
    mode: ResolveMode,
    signal: AbortSignal | undefined,
  ): Promise<NameAnswer> {
    if (source === "hosts") return this.#resolveHosts(name, mode, "hosts");
    if (source === "dns") return this.#resolveDns(name, mode, "dns", signal);
    return this.#resolveSystem(name, mode, signal);
  }

  async #resolveHosts(name: string, mode: ResolveMode, source: LookupSource): Promise<NameAnswer> {
    const started = performance.now();
    const lines = await this.#hostsLines();
    const file = this.hostsPath;
    const family = mode === "all" ? this.#options.family : 4;
    const found = lines &&
      (mode === "all" ? hostsLookup(lines, name, family) : hostsByName(lines, name, 4));
    if (!found) {
      return {
        source,
        status: "not-found",
        from: file,
        file,
        reason: lines ? `not in ${file}` : `cannot read ${file}`,
        addresses: [],
        timeMs: elapsed(started),
      };
    }
    const addresses = mode === "first" ? found.addresses.slice(0, 1) : found.addresses;
    const usedLines = [...new Set(addresses.length ? addresses.map((a) => a.line) : found.lines)];
    return {
      source,
      status: addresses.length ? "ok" : "no-data",
      from: `${file}:${usedLines.join(",")}`,
      file,
      lines: usedLines,
      canonicalName: found.canonicalName,
      aliases: [...found.aliases],
      addresses,
      ...(addresses.length ? {} : { reason: `no IPv${family ?? 4} address in ${file}` }),
      timeMs: elapsed(started),
    };
  }

  async #resolveDns(
    name: string,
    mode: ResolveMode,
    source: LookupSource,
    signal: AbortSignal | undefined,
  ): Promise<NameAnswer> {
    const started = performance.now();
    const client = await this.dns();
    const server = serverAddress(client.server);
    const label = formatServerAddress(server);
    const family = mode === "all" ? this.#options.family : 4;
    const found = await dnsAddresses(client, name, family, signal);
    const addresses = mode === "first" ? found.addresses.slice(0, 1) : found.addresses;
    const failed = found.exchanges.find((e) => dnsFailureStatus(e.status) !== undefined);
    const nx = found.exchanges.every((e) => e.status === "NXDOMAIN");
    const [status, reason]: [LookupStatus, string?] = addresses.length > 0
      ? ["ok"]
      : failed
      ? [dnsFailureStatus(failed.status)!, `${dnsReason(failed)} from ${label}`]
      : nx
      ? ["not-found", `NXDOMAIN (no such name) from ${label}`]
      : ["no-data", `no ${found.types.join(" or ")} records (NODATA) from ${label}`];
    return {
      source,
      status,
      from: `dns ${label}`,
      server,
      rcode: (addresses.length === 0 && failed ? failed : found.exchanges[0])?.rcode,
      canonicalName: found.canonicalName,
      aliases: found.aliases,
      addresses,
      ...(reason === undefined ? {} : { reason }),
      timeMs: elapsed(started),
    };
  }

  async #resolveSystem(
    name: string,
    mode: ResolveMode,
    signal: AbortSignal | undefined,
  ): Promise<NameAnswer> {
    if (mode === "ex") {
      // gethostbyname_r: nsswitch "hosts: files dns".
      const fromHosts = await this.#resolveHosts(name, "ex", "system");
      if (fromHosts.status === "ok") return fromHosts;
      return await this.#resolveDns(name, "ex", "system", signal);
    }
    const family = mode === "first" ? 4 : this.#options.family;
    const found = await systemLookup(name, { family, timeoutMs: this.#timeoutMs, signal });
    const addresses = mode === "first" ? found.addresses.slice(0, 1) : found.addresses;
    return {
      source: "system",
      status: systemStatus(found.status),
      from: "getaddrinfo",
      addresses: [...addresses],
      ...(found.status === "ok" ? {} : { reason: systemReason(found.status, found.code) }),
      timeMs: found.timeMs,
    };
  }

  async #reverseFrom(
    ip: IpLiteral,
    source: LookupSource,
    signal: AbortSignal | undefined,
  ): Promise<AddressAnswer> {
    if (source === "hosts") return this.#reverseHosts(ip, "hosts");
    if (source === "dns") return this.#reverseDns(ip, "dns", signal);
    const fromHosts = await this.#reverseHosts(ip, "system");
    if (fromHosts.status === "ok") return fromHosts;
    return await this.#reverseDns(ip, "system", signal);
  }

  async #reverseHosts(ip: IpLiteral, source: LookupSource): Promise<AddressAnswer> {
    const started = performance.now();
    const lines = await this.#hostsLines();
    const file = this.hostsPath;
    const found = lines && hostsByAddress(lines, ip);
    if (!found) {
      return {
        source,
        status: "not-found",
        from: file,
        file,
        reason: lines ? `${ip.text} is not in ${file}` : `cannot read ${file}`,
        aliases: [],
        addresses: [],
        timeMs: elapsed(started),
      };
    }
    return {
      source,
      status: "ok",
      from: `${file}:${found.line}`,
      file,
      line: found.line,
      hostname: found.hostname,
      aliases: [...found.aliases],
      addresses: found.addresses.map((address) => ({ address, family: ip.family })),
      timeMs: elapsed(started),
    };
  }

  async #reverseDns(
    ip: IpLiteral,
    source: LookupSource,
    signal: AbortSignal | undefined,
  ): Promise<AddressAnswer> {
    const started = performance.now();
    const client = await this.dns();
    const answer = await reverseDnsAnswer(client, ip, signal);
    return { source, ...answer, timeMs: elapsed(started) };
  }
}

/** The failure of a lookup that gave an address netdiag cannot read. */
function unreadable(address: string, from: string): { status: LookupStatus; reason: string } {
  return {
    status: "failure",
    reason: `${from} gave ${quote(address)}, which is not an IP address`,
  };
}

function systemStatus(status: string): LookupStatus {
  if (status === "ok") return "ok";
  if (status === "not-found") return "not-found";
  if (status === "timeout") return "timeout";
  return "failure";
}

function systemReason(status: string, code: string | undefined): string {
  if (status === "timeout") return "getaddrinfo gave no answer before the timeout";
  if (status === "not-found") return `getaddrinfo: no such name (${code ?? "ENOTFOUND"})`;
  if (status === "temporary-failure") return `getaddrinfo: temporary failure (${code})`;
  if (code === "ABORTED") return "aborted";
  return `getaddrinfo failed (${code ?? "unknown error"})`;
}

/**
 * Name lookups as `resolve`, `reverse` and `hostname --fqdn` do them, from three sources:
 *
 * - `hosts`: the hosts file, parsed the way glibc's files module reads it (lib/core/hosts_file.ts);
 * - `dns`: a DNS server asked directly (lib/net/dns_client.ts), `--server` or resolv.conf's first;
 * - `system`: getaddrinfo for addresses (lib/net/system_resolver.ts); for gethostbyname_ex and
 *   gethostbyaddr, which have no JavaScript API, the same "files, then dns" order glibc follows
 *   with the default nsswitch.conf, through the two sources above.
 *
 * Load it only from a command's run module.
 * @module
 */
import {
  type IpLiteral,
  parseScopedIpLiteral,
  reverseNameOf,
  validateDnsName,
} from "../core/dns_name.ts";
import { dnsStatusText, followChain } from "../core/dns_records.ts";
import { type DnsServer, formatDnsServer } from "../core/dns_server.ts";
import {
  hostsByAddress,
  hostsByName,
  type HostsLine,
  hostsLookup,
  parseHostsFile,
} from "../core/hosts_file.ts";
import {
  type AddressAnswer,
  answersAgree,
  combineStatus,
  type LookupSource,
  type LookupStatus,
  type NameAnswer,
  type ResolveItem,
  type ResolveMode,
  type ReverseItem,
} from "../core/name_lookup.ts";
import { defaultDnsServer, parseResolvConf, RESOLV_CONF_PATH } from "../core/resolv_conf.ts";
import { quote } from "../core/errors.ts";
import { readTextFile } from "../runtime/read_text.ts";
import { DnsClient, type DnsExchange } from "./dns_client.ts";
import { systemLookup } from "./system_resolver.ts";

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
  /** Only IPv4 (4) or IPv6 (6) addresses in `resolve`'s default mode. */
  readonly family?: 4 | 6;
  /** DNS over TCP only. */
  readonly tcp?: boolean;
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

const elapsed = (started: number) => Math.round((performance.now() - started) * 1000) / 1000;

interface ChainAnswer {
  readonly exchanges: DnsExchange[];
  readonly canonicalName: string;
  readonly aliases: string[];
  readonly records: { address: string; ttl: number }[];
}

/** Looks names and addresses up; holds the hosts file and the DNS socket. Close it when done. */
export class NameService {
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

  #dns(): Promise<DnsClient> {
    this.#client ??= this.server().then((server) =>
      DnsClient.open(server, { timeoutMs: this.#timeoutMs, tcp: this.#options.tcp })
    );
    return this.#client;
  }

  /** Resolves one name from each of `sources`, in `mode`. */
  async resolve(
    name: string,
    sources: readonly LookupSource[],
    mode: ResolveMode,
  ): Promise<ResolveItem> {
    const started = performance.now();
    const literal = parseScopedIpLiteral(name);
    const answers = await Promise.all(
      sources.map((source) =>
        literal ? this.#literal(name, literal, source, mode) : this.#resolveFrom(name, source, mode)
      ),
    );
    const status = combineStatus(answers.map((a) => a.status));
    const answered = answers.filter((a) => a.status === "ok");
    return {
      name,
      mode,
      status,
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
  async reverse(query: string, sources: readonly LookupSource[]): Promise<ReverseItem> {
    const started = performance.now();
    let ip: IpLiteral | undefined = parseScopedIpLiteral(query);
    if (!ip) {
      const name = validateDnsName(query);
      const found = await this.#firstAddress(name, sources);
      if ("status" in found) {
        return {
          query,
          status: found.status,
          reason: found.reason,
          answers: [],
          timeMs: elapsed(started),
        };
      }
      ip = found;
    }
    const target = ip;
    const answers = await Promise.all(sources.map((s) => this.#reverseFrom(target, s)));
    const answered = answers.filter((a) => a.status === "ok");
    return {
      query,
      address: target.text,
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
  ): Promise<IpLiteral | { status: LookupStatus; reason: string }> {
    if (sources.length === 1 && sources[0] === "hosts") {
      const lines = await this.#hostsLines();
      const found = lines && hostsLookup(lines, name);
      const first = found?.addresses[0];
      if (!first) {
        return {
          status: "not-found",
          reason: `${quote(name)} is not in ${this.hostsPath}`,
        };
      }
      return parseScopedIpLiteral(first.address) ?? unreadable(first.address, this.hostsPath);
    }
    const found = await systemLookup(name, { timeoutMs: this.#timeoutMs });
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

  #resolveFrom(name: string, source: LookupSource, mode: ResolveMode): Promise<NameAnswer> {
    if (source === "hosts") return this.#resolveHosts(name, mode, "hosts");
    if (source === "dns") return this.#resolveDns(name, mode, "dns");
    return this.#resolveSystem(name, mode);
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
    const usedLines = addresses.length ? addresses.map((a) => a.line) : found.lines;
    return {
      source,
      status: addresses.length ? "ok" : "no-data",
      from: `${file}:${[...new Set(usedLines)].join(",")}`,
      file,
      lines: [...new Set(usedLines)],
      canonicalName: found.canonicalName,
      aliases: [...found.aliases],
      addresses,
      ...(addresses.length ? {} : { reason: `no IPv${family ?? 4} address in ${file}` }),
      timeMs: elapsed(started),
    };
  }

  async #resolveDns(name: string, mode: ResolveMode, source: LookupSource): Promise<NameAnswer> {
    const started = performance.now();
    const client = await this.#dns();
    const server = formatDnsServer(client.server);
    const family = mode === "all" ? this.#options.family : 4;
    const types = family === 4 ? ["A"] : family === 6 ? ["AAAA"] : ["A", "AAAA"];
    const chains = await Promise.all(types.map((t) => this.#chain(client, name, t)));
    const addresses = chains.flatMap((c, i) =>
      c.records.map((r) => ({ address: r.address, family: types[i] === "A" ? 4 : 6, ttl: r.ttl }))
    ) as NameAnswer["addresses"];
    const exchanges = chains.flatMap((c) => c.exchanges);
    const picked = mode === "first" ? addresses.slice(0, 1) : addresses;
    const base = {
      source,
      from: `dns ${server}`,
      server,
      rcode: exchanges[0]?.rcode,
      canonicalName: chains[0].canonicalName,
      aliases: chains[0].aliases,
      timeMs: elapsed(started),
    };
    if (picked.length > 0) return { ...base, status: "ok", addresses: picked };
    const failed = exchanges.find((e) => !["NOERROR", "NODATA", "NXDOMAIN"].includes(e.status));
    if (failed) {
      return {
        ...base,
        status: failed.status === "TIMEOUT" ? "timeout" : "failure",
        rcode: failed.rcode,
        reason: `${failed.status} (${failed.error ?? dnsStatusText(failed.status)}) from ${server}`,
        addresses: [],
      };
    }
    const nx = exchanges.every((e) => e.status === "NXDOMAIN");
    return {
      ...base,
      status: nx ? "not-found" : "no-data",
      reason: nx
        ? `NXDOMAIN (no such name) from ${server}`
        : `no ${types.join(" or ")} records (NODATA) from ${server}`,
      addresses: [],
    };
  }

  /** Asks for `type` and follows a CNAME chain the server left unfinished (8 queries at most). */
  async #chain(client: DnsClient, name: string, type: string): Promise<ChainAnswer> {
    const exchanges: DnsExchange[] = [];
    const aliases: string[] = [];
    let current = name;
    for (let i = 0; i < 8; i++) {
      const exchange = await client.query(current, type);
      exchanges.push(exchange);
      const chain = followChain(current, exchange.answers, type);
      for (const a of chain.aliases) if (!aliases.includes(a)) aliases.push(a);
      const records = chain.records.map((r) => ({ address: r.value as string, ttl: r.ttl }));
      const more = records.length === 0 && chain.canonicalName !== current &&
        (exchange.status === "NODATA" || exchange.status === "NOERROR") &&
        !aliases.slice(0, -1).includes(chain.canonicalName);
      if (!more) return { exchanges, canonicalName: chain.canonicalName, aliases, records };
      current = chain.canonicalName;
    }
    return { exchanges, canonicalName: current, aliases, records: [] };
  }

  async #resolveSystem(name: string, mode: ResolveMode): Promise<NameAnswer> {
    if (mode === "ex") {
      // gethostbyname_r: nsswitch "hosts: files dns".
      const fromHosts = await this.#resolveHosts(name, "ex", "system");
      if (fromHosts.status === "ok") return fromHosts;
      return await this.#resolveDns(name, "ex", "system");
    }
    const family = mode === "first" ? 4 : this.#options.family;
    const found = await systemLookup(name, { family, timeoutMs: this.#timeoutMs });
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

  async #reverseFrom(ip: IpLiteral, source: LookupSource): Promise<AddressAnswer> {
    if (source === "hosts") return this.#reverseHosts(ip, "hosts");
    if (source === "dns") return this.#reverseDns(ip, "dns");
    const fromHosts = await this.#reverseHosts(ip, "system");
    if (fromHosts.status === "ok") return fromHosts;
    return await this.#reverseDns(ip, "system");
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
      addresses: [...found.addresses],
      timeMs: elapsed(started),
    };
  }

  async #reverseDns(ip: IpLiteral, source: LookupSource): Promise<AddressAnswer> {
    const started = performance.now();
    const client = await this.#dns();
    const server = formatDnsServer(client.server);
    const qname = reverseNameOf(ip, true);
    const exchange = await client.query(qname, "PTR");
    // As glibc: follow a CNAME (RFC 2317 delegation), then the first PTR is the host name.
    const chain = followChain(qname, exchange.answers, "PTR");
    const ptr = chain.records[0];
    const base = {
      source,
      from: `dns ${server}`,
      server,
      rcode: exchange.rcode,
      aliases: [] as string[],
      timeMs: elapsed(started),
    };
    if (ptr) {
      return {
        ...base,
        status: "ok",
        hostname: ptr.value as string,
        addresses: [ip.text],
        ttl: ptr.ttl,
      };
    }
    const status: LookupStatus = exchange.status === "NXDOMAIN"
      ? "not-found"
      : exchange.status === "NODATA" || exchange.status === "NOERROR"
      ? "no-data"
      : exchange.status === "TIMEOUT"
      ? "timeout"
      : "failure";
    return {
      ...base,
      status,
      addresses: [],
      reason: `${exchange.status} (${exchange.error ?? dnsStatusText(exchange.status)}) ` +
        `for ${qname} PTR from ${server}`,
    };
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
  return `getaddrinfo failed (${code ?? "unknown error"})`;
}

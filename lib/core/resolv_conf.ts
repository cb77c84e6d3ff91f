/**
 * resolv.conf as the glibc stub resolver reads it: name servers, search list and options.
 * @module
 */
import { DNS_PORT, type DnsServer } from "./dns_server.ts";
import { parseIpLiteral } from "./dns_name.ts";

/** The system's resolv.conf. */
export const RESOLV_CONF_PATH = "/etc/resolv.conf";

/** What resolv.conf configures. */
export interface ResolvConf {
  /** `nameserver` addresses in file order (glibc uses at most three). */
  readonly nameservers: readonly string[];
  /** The `search` (or `domain`) list; the last such line wins, as in glibc. */
  readonly search: readonly string[];
  /** `options timeout:N`, seconds, when given. */
  readonly timeoutSeconds?: number;
  /** `options attempts:N`, when given. */
  readonly attempts?: number;
  /** `options ndots:N`, when given. */
  readonly ndots?: number;
}

/**
 * Parses resolv.conf text. Comments start with `#` or `;`; unknown keywords and malformed
 * name server addresses are ignored, as the stub resolver does. Scope ids (`fe80::1%eth0`) are
 * kept off the address.
 */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  let search: string[] = [];
  const options: { timeoutSeconds?: number; attempts?: number; ndots?: number } = {};
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    if (!line) continue;
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === "nameserver" && args[0]) {
      const ip = parseIpLiteral(args[0].split("%")[0]);
      if (ip) nameservers.push(ip.text);
    } else if (keyword === "search" || keyword === "domain") {
      search = keyword === "domain" ? args.slice(0, 1) : args;
    } else if (keyword === "options") {
      for (const option of args) {
        const m = /^(timeout|attempts|ndots):([0-9]+)$/.exec(option);
        if (!m) continue;
        const value = Number(m[2]);
        if (m[1] === "timeout") options.timeoutSeconds = value;
        else if (m[1] === "attempts") options.attempts = value;
        else options.ndots = value;
      }
    }
  }
  return { nameservers, search, ...options };
}

/**
 * The server a DNS query goes to by default: the first `nameserver`, or 127.0.0.1 when there is
 * none (glibc's own default).
 */
export function defaultDnsServer(conf: ResolvConf): DnsServer {
  return { hostname: conf.nameservers[0] ?? "127.0.0.1", port: DNS_PORT };
}

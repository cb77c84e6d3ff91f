/**
 * The DNS server of one address family, for `dns -4` / `dns -6` (dig's meaning: the family of
 * the transport to the server, not of the records asked for).
 * @module
 */
import { DNS_PORT, type DnsServer, serverAddress } from "../core/dns_server.ts";
import { InputError, OperationalError, quote } from "../core/errors.ts";
import { parseResolvConf, RESOLV_CONF_PATH } from "../core/resolv_conf.ts";
import { readTextFile } from "../runtime/read_text.ts";

/** Options of {@link dnsServerOfFamily}. */
export interface ServerFamilyOptions {
  /** The server asked for, if any; default the first nameserver of the family in resolv.conf. */
  readonly server?: DnsServer;
  /** Only an IPv4 (4) or IPv6 (6) server. */
  readonly family: 4 | 6;
  /** resolv.conf; default /etc/resolv.conf. */
  readonly resolvConfPath?: string;
}

/**
 * The server to ask over `options.family`: the given server when it is of that family (an
 * {@link InputError} `cannot use DNS server "::1": not an IPv4 address` otherwise), else the
 * first nameserver of the family in resolv.conf, else (no nameserver at all, or no readable
 * file) the loopback address of the family, glibc's default. Throws an
 * {@link OperationalError} when resolv.conf lists nameservers but none of the family.
 */
export async function dnsServerOfFamily(options: ServerFamilyOptions): Promise<DnsServer> {
  const { server, family, resolvConfPath = RESOLV_CONF_PATH } = options;
  if (server) {
    if (serverAddress(server).family !== family) {
      throw new InputError(
        `cannot use DNS server ${quote(server.hostname)}: not an IPv${family} address`,
      );
    }
    return server;
  }
  const text = await readTextFile(resolvConfPath).catch(() => "");
  const { nameservers } = parseResolvConf(text);
  const found = nameservers.find((n) => (n.includes(":") ? 6 : 4) === family);
  if (found !== undefined) return { hostname: found, port: DNS_PORT };
  if (nameservers.length === 0) {
    return { hostname: family === 6 ? "::1" : "127.0.0.1", port: DNS_PORT };
  }
  throw new OperationalError(
    `no IPv${family} DNS server: ${quote(resolvConfPath)} lists only ${
      nameservers.map((n) => quote(n)).join(", ")
    } (give one with --server)`,
  );
}

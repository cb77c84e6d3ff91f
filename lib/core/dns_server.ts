/**
 * DNS server addresses: `--server HOST[:PORT]` as typed on the command line, and the default
 * server taken from resolv.conf.
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { parseIpLiteral } from "./dns_name.ts";
import { parsePort } from "./parse_number.ts";

/** The standard DNS port. */
export const DNS_PORT = 53;

/** A DNS server: an IP address and a port. */
export interface DnsServer {
  readonly hostname: string;
  readonly port: number;
}

const EXPECTED = 'expected an IP address with an optional port: "127.0.0.1", ' +
  '"127.0.0.1:5353", "::1" or "[::1]:5353"';

/**
 * Parses `--server`: an IPv4 or IPv6 address, with `:PORT` (IPv6 in brackets for a port).
 * Host names are not accepted (the server must be reachable without a lookup). Throws an
 * {@link InputError} naming the value.
 */
export function parseDnsServer(text: string): DnsServer {
  const trimmed = text.trim();
  let host = trimmed;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(trimmed);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
  } else if ((trimmed.match(/:/g) ?? []).length === 1) {
    [host, portText] = trimmed.split(":");
  }
  const ip = parseIpLiteral(host);
  if (!ip || (bracket && ip.family !== 6)) {
    throw new InputError(`invalid DNS server ${quote(text)}: ${EXPECTED}`);
  }
  if (portText === undefined) return { hostname: ip.text, port: DNS_PORT };
  try {
    return { hostname: ip.text, port: parsePort(portText) };
  } catch {
    throw new InputError(
      `invalid DNS server ${quote(text)}: port ${quote(portText)} is not 1 to 65535`,
    );
  }
}

/** Formats a server as `127.0.0.1:53` / `[::1]:53`. */
export function formatDnsServer(server: DnsServer): string {
  return server.hostname.includes(":")
    ? `[${server.hostname}]:${server.port}`
    : `${server.hostname}:${server.port}`;
}

/** A DNS server in results, in the shared vocabulary: address, port and family. */
export interface ServerAddress {
  /** The IP address, as inet_ntop writes it. */
  readonly address: string;
  /** The server's port. */
  readonly port: number;
  /** 4 for IPv4, 6 for IPv6. */
  readonly family: 4 | 6;
}

/** The {@link ServerAddress} of a server. */
export function serverAddress(server: DnsServer): ServerAddress {
  return {
    address: server.hostname,
    port: server.port,
    family: server.hostname.includes(":") ? 6 : 4,
  };
}

/** Formats a server of a result as `127.0.0.1:53` / `[::1]:53`. */
export function formatServerAddress(server: ServerAddress): string {
  return server.family === 6
    ? `[${server.address}]:${server.port}`
    : `${server.address}:${server.port}`;
}

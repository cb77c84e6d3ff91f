/**
 * The flags `check` and `ping` share: how to reach the target (resolve overrides, family, TLS,
 * request, timeout).
 * @module
 */
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseResolveEntry } from "../../../check/target.ts";
import { parseDnsServer } from "../../../core/dns_server.ts";
import { parseUnixPath } from "../../../core/unix_path.ts";
import { parseHeader, parseMethod } from "./parsers.ts";

const duration = (what: string, minMs = 1) => (t: string) => parseDuration(t, { what, minMs });

/** The flag declarations `check` and `ping` share: how to reach the target. */
export const targetFlags = {
  tls: {
    kind: "boolean",
    brief: "HOST:PORT targets: add a TLS handshake after the TCP connect",
    optional: true,
  },
  resolve: {
    kind: "parsed",
    parse: (t: string) => (parseResolveEntry(t), t),
    brief: "Use ADDR for HOST:PORT instead of resolving it, as curl --resolve (repeatable)",
    placeholder: "host:port:addr[,addr]",
    variadic: true,
    optional: true,
  },
  source: {
    kind: "enum",
    values: ["system", "hosts", "dns"],
    brief: "Where to resolve: system (getaddrinfo), hosts (the hosts file), dns (a DNS server, " +
      "following CNAMEs); default system, or dns with --server",
    optional: true,
  },
  server: {
    kind: "parsed",
    parse: (t: string) => (parseDnsServer(t), t),
    brief: "DNS server to ask, IP[:PORT] or [IPv6]:PORT (implies --source dns)",
    placeholder: "host[:port]",
    optional: true,
  },
  hostsFile: {
    kind: "parsed",
    parse: String,
    brief: "Hosts file to read with --source hosts (default /etc/hosts)",
    placeholder: "path",
    optional: true,
  },
  unixSocket: {
    kind: "parsed",
    parse: parseUnixPath,
    brief: "Connect to this Unix socket instead of the URL's host and port, as curl --unix-socket",
    placeholder: "path",
    optional: true,
  },
  ipv4: { kind: "boolean", brief: "Use only IPv4 addresses (-4)", optional: true },
  ipv6: { kind: "boolean", brief: "Use only IPv6 addresses (-6)", optional: true },
  servername: {
    kind: "parsed",
    parse: String,
    brief: "The TLS server name (SNI) and the name to verify (default the target's host)",
    placeholder: "name",
    optional: true,
  },
  ca: {
    kind: "parsed",
    parse: String,
    brief: "Verify against the CA certificates in this PEM file instead of the system's",
    placeholder: "file",
    optional: true,
  },
  insecure: {
    kind: "boolean",
    brief: "Do not fail on certificate errors (they are still reported)",
    optional: true,
  },
  request: {
    kind: "parsed",
    parse: parseMethod,
    brief: "HTTP method (default GET)",
    placeholder: "method",
    optional: true,
  },
  header: {
    kind: "parsed",
    parse: parseHeader,
    brief: 'Extra request header "Name: value" (repeatable)',
    placeholder: "header",
    variadic: true,
    optional: true,
  },
  timeout: {
    kind: "parsed",
    parse: duration("timeout"),
    brief: "Give up on a check after this long (each stage within it)",
    placeholder: "duration",
    default: "10s",
  },
} as const;

/** The short flags `check` and `ping` share. */
export const targetAliases = { X: "request", w: "timeout" } as const;

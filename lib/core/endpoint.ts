/**
 * The one endpoint grammar of the command line (docs/endpoints.md): `HOST:PORT`,
 * `[IPv6]:PORT`, `HOST PORT` (two operands, as nc takes them), a Unix socket path (any text
 * with a `/`) and a bare `PORT`. Pure: no lookups, no I/O.
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { parsePort } from "./parse_number.ts";
import { parseUnixPath } from "./unix_path.ts";

/** An IP endpoint: a host (a name or an address, IPv6 without brackets) and a port. */
export interface IpEndpoint {
  readonly kind: "ip";
  /** The host as written, brackets removed; undefined for a bare `PORT` without a default. */
  readonly host: string | undefined;
  readonly port: number;
}

/** A Unix socket path. */
export interface UnixEndpoint {
  readonly kind: "unix";
  readonly path: string;
}

/** What {@link parseEndpoint} returns. */
export type Endpoint = IpEndpoint | UnixEndpoint;

/** Which forms a command takes, and how it fills what a form leaves out. */
export interface EndpointGrammar {
  /** The host of a bare `PORT` (clients: `127.0.0.1`); undefined leaves it to the caller. */
  readonly defaultHost?: string;
  /** Port 0 is allowed (a server picks a free port). Default false. */
  readonly allowZero?: boolean;
  /** A text with a `/` is a Unix socket path. Default true. */
  readonly unix?: boolean;
  /** How messages name the operand(s): default `target`. */
  readonly what?: string;
}

/** The forms in words, for messages. */
export function endpointForms(grammar: EndpointGrammar = {}): string {
  const unix = grammar.unix === false ? "" : ", a Unix socket path (with a /)";
  return `HOST:PORT, [IPv6]:PORT, HOST PORT, PORT${unix}`;
}

// deno-lint-ignore no-control-regex
const BAD_HOST = /[\s\x00-\x1f\x7f\[\]/]/;

/** Checks a host as written in `HOST PORT` or `HOST:PORT`; strips IPv6 brackets. */
function parseHost(text: string, whole: string, what: string, grammar: EndpointGrammar): string {
  const bracketed = /^\[([^\[\]]+)\]$/.exec(text);
  const host = bracketed ? bracketed[1] : text;
  if (host === "" || BAD_HOST.test(host)) {
    throw new InputError(`invalid ${what} ${quote(whole)}: expected ${endpointForms(grammar)}`);
  }
  return host;
}

/** One operand: `HOST:PORT`, `[IPv6]:PORT`, a path, or a bare `PORT`. */
function parseOne(text: string, grammar: EndpointGrammar): Endpoint {
  const what = grammar.what ?? "target";
  if (grammar.unix !== false && text.includes("/")) {
    return { kind: "unix", path: parseUnixPath(text) };
  }
  if (/^[0-9]+$/.test(text)) {
    return { kind: "ip", host: grammar.defaultHost, port: parsePort(text, grammar.allowZero) };
  }
  const bracketed = /^\[([^\[\]]*)\]:([^:]*)$/.exec(text);
  const plain = bracketed ? null : /^([^:]*):([^:]*)$/.exec(text);
  const parts = bracketed ?? plain;
  if (parts) {
    const host = parseHost(bracketed ? `[${parts[1]}]` : parts[1], text, what, grammar);
    return { kind: "ip", host, port: parsePort(parts[2], grammar.allowZero) };
  }
  const hint = (text.match(/:/g) ?? []).length > 1 && !/^\[.*\]$/.test(text)
    ? "write an IPv6 address in brackets, [IPv6]:PORT, or give HOST PORT"
    : `no port: expected ${endpointForms(grammar)}`;
  throw new InputError(`invalid ${what} ${quote(text)}: ${hint}`);
}

/**
 * Parses a command's endpoint operands: one (`HOST:PORT`, `[IPv6]:PORT`, a Unix socket path
 * when `grammar.unix` is not false, a bare `PORT`) or two (`HOST PORT`, the host bare or in
 * brackets). Throws an {@link InputError} naming the operand and the forms otherwise.
 *
 * @example
 * ```ts
 * import { parseEndpoint } from "./endpoint.ts";
 * parseEndpoint(["[::1]:8080"]); // { kind: "ip", host: "::1", port: 8080 }
 * parseEndpoint(["example.com", "80"]); // { kind: "ip", host: "example.com", port: 80 }
 * ```
 */
export function parseEndpoint(
  operands: readonly string[],
  grammar: EndpointGrammar = {},
): Endpoint {
  const what = grammar.what ?? "target";
  if (operands.length === 0) {
    throw new InputError(`missing ${what}: expected ${endpointForms(grammar)}`);
  }
  if (operands.length > 2) {
    throw new InputError(
      `unexpected ${quote(operands[2])}: expected ${endpointForms(grammar)}`,
    );
  }
  const [first, second] = operands;
  if (second === undefined) return parseOne(first, grammar);
  if (/^[0-9]+$/.test(first) || /^[^\[:]*:[^:]*$/.test(first) || /^\[.*\]:/.test(first)) {
    throw new InputError(
      `unexpected ${quote(second)}: ${quote(first)} already names the ${what}`,
    );
  }
  if (grammar.unix !== false && first.includes("/")) {
    throw new InputError(
      `unexpected ${quote(second)}: ${quote(first)} is a Unix socket path, which takes no port`,
    );
  }
  return {
    kind: "ip",
    host: parseHost(first, first, what, grammar),
    port: parsePort(second, grammar.allowZero),
  };
}

/**
 * The endpoint of a command that also has `--unix PATH`: that path when given (and then no
 * operand), else {@link parseEndpoint} of the operands.
 */
export function endpointWithUnixFlag(
  operands: readonly string[],
  unixPath: string | undefined,
  grammar: EndpointGrammar = {},
): Endpoint {
  if (unixPath === undefined) return parseEndpoint(operands, grammar);
  if (operands.length > 0) {
    throw new InputError(
      `unexpected ${quote(operands[0])}: --unix takes the socket path instead of ` +
        (grammar.what ?? "target").toUpperCase(),
    );
  }
  return { kind: "unix", path: unixPath };
}

/** A server's `--port` and `--unix` flags, beside its operands. */
export interface ServerEndpointFlags {
  readonly port?: number;
  readonly unix?: string;
}

/**
 * Where a server listens, from its operands (`PORT`, `HOST:PORT`, `[IPv6]:PORT`, `HOST PORT`
 * or a socket path; port 0 picks a free one) or its `--port` / `--unix` flags: undefined when
 * neither says (the command's default applies). An IP endpoint's host is undefined unless the
 * operand names one (the command's `--host` applies). Operands and a flag that says the same
 * thing are refused unless they agree.
 */
export function serverEndpoint(
  operands: readonly string[],
  flags: ServerEndpointFlags,
): Endpoint | undefined {
  if (operands.length === 0) {
    if (flags.unix !== undefined && flags.port !== undefined) {
      throw new InputError('conflicting flags "--port" and "--unix": give one');
    }
    if (flags.unix !== undefined) return { kind: "unix", path: flags.unix };
    if (flags.port !== undefined) return { kind: "ip", host: undefined, port: flags.port };
    return undefined;
  }
  const endpoint = parseEndpoint(operands, { allowZero: true, what: "address" });
  const flag = flags.unix !== undefined ? "--unix" : flags.port !== undefined ? "--port" : "";
  const same = endpoint.kind === "ip" && flags.unix === undefined &&
    (flags.port === undefined || flags.port === endpoint.port);
  if (flag && !same) {
    throw new InputError(`unexpected ${quote(operands.join(" "))}: "${flag}" already says where`);
  }
  return endpoint;
}

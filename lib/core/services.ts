/**
 * getservbyname / getservbyport over entries of a services file (glibc's "files" rules: the
 * first entry in file order answers; a name matches the official name or an alias).
 * @module
 */
import { InputError, NegativeError, quote } from "./errors.ts";
import { answersTo, describeSource, parseNetdb } from "./netdb.ts";
import { parseInteger } from "./parse_number.ts";

/** One entry of a services file. */
export interface ServiceEntry {
  /** The official service name, e.g. `http`. */
  readonly name: string;
  /** The port number, in host byte order. */
  readonly port: number;
  /** The protocol, e.g. `tcp` or `udp`. */
  readonly proto: string;
  /** Other names of the service, e.g. `www`. */
  readonly aliases: readonly string[];
}

const PORT_PROTO = /^([0-9]+)\/([^/]+)$/;

/** Parses a services file (`name port/proto aliases… # comment`), skipping malformed lines. */
export function parseServices(text: string): ServiceEntry[] {
  const entries: ServiceEntry[] = [];
  for (const line of parseNetdb(text)) {
    const m = PORT_PROTO.exec(line.key);
    if (!m || Number(m[1]) > 65535) continue;
    entries.push({ name: line.name, port: Number(m[1]), proto: m[2], aliases: line.aliases });
  }
  return entries;
}

/** What to look up: a service name (or alias) or a port, optionally for one protocol. */
export type ServiceQuery =
  | { readonly name: string; readonly proto?: string }
  | { readonly port: number; readonly proto?: string };

/**
 * Every entry matching the query, in file order. The first is what getservbyname /
 * getservbyport return for the same arguments.
 */
export function findServices(
  entries: readonly ServiceEntry[],
  query: ServiceQuery,
): ServiceEntry[] {
  return entries.filter((e) =>
    (query.proto === undefined || e.proto === query.proto) &&
    ("port" in query ? e.port === query.port : answersTo(e, query.name))
  );
}

/** The result of the `service` command. */
export interface ServiceResult {
  /** The name or port as given. */
  readonly query: string;
  /** Whether the query was a name (getservbyname) or a port (getservbyport). */
  readonly by: "name" | "port";
  /** The protocol asked for, or null for any. */
  readonly proto: string | null;
  /** Where the answer came from: the file's path, or "embedded" for the built-in table. */
  readonly source: string;
  /** Every matching entry in file order; the first is the C library's answer. */
  readonly entries: readonly ServiceEntry[];
}

/**
 * Reads a `service` operand: all digits is a port (0..65535), anything else a name. Throws an
 * {@link InputError} for an empty operand, a blank in it or a port out of range.
 */
export function parseServiceQuery(text: string, proto?: string): ServiceQuery {
  if (text === "" || /\s/.test(text)) {
    throw new InputError(
      `invalid service ${quote(text)}: expected a service name or a port number 0-65535`,
    );
  }
  if (!/^[0-9]+$/.test(text)) return { name: text, proto };
  return { port: parseInteger(text, { min: 0, max: 65535, what: "port", hex: false }), proto };
}

/**
 * Looks a service up by name or port as getservbyname / getservbyport do and lists every
 * match. Throws a {@link NegativeError} (exit 1) when nothing matches.
 */
export function lookupService(
  entries: readonly ServiceEntry[],
  source: string,
  text: string,
  proto?: string,
): ServiceResult {
  const query = parseServiceQuery(text, proto);
  const found = findServices(entries, query);
  const by = "port" in query ? "port" : "name";
  if (found.length === 0) {
    const what = by === "port" ? `no service on port ${text}` : `unknown service ${quote(text)}`;
    const slash = proto === undefined ? "" : ` for protocol ${quote(proto)}`;
    throw new NegativeError(`${what}${slash}: not found in ${describeSource(source, "services")}`);
  }
  return { query: text, by, proto: proto ?? null, source, entries: found };
}

/**
 * getprotobyname / getprotobynumber over entries of a protocols file (glibc's "files" rules: the
 * first entry in file order answers; a name matches the official name or an alias).
 * @module
 */
import { InputError, NegativeError, quote } from "./errors.ts";
import { answersTo, describeSource, parseNetdb } from "./netdb.ts";
import { parseInteger } from "./parse_number.ts";

/** One entry of a protocols file. */
export interface ProtocolEntry {
  /** The official protocol name, e.g. `tcp`. */
  readonly name: string;
  /** The IP protocol number, e.g. 6. */
  readonly number: number;
  /** Other names of the protocol, e.g. `TCP`. */
  readonly aliases: readonly string[];
}

/**
 * The largest protocol number: netbase's /etc/protocols lists numbers past the 8-bit IP protocol
 * field for protocols the Linux kernel numbers itself (`mptcp 262`), and glibc reads them all.
 */
export const MAX_PROTOCOL_NUMBER = 65535;

/** Parses a protocols file (`name number aliases… # comment`), skipping malformed lines. */
export function parseProtocols(text: string): ProtocolEntry[] {
  const entries: ProtocolEntry[] = [];
  for (const line of parseNetdb(text)) {
    if (!/^[0-9]+$/.test(line.key) || Number(line.key) > MAX_PROTOCOL_NUMBER) continue;
    entries.push({ name: line.name, number: Number(line.key), aliases: line.aliases });
  }
  return entries;
}

/** What to look up: a protocol name (or alias) or a number. */
export type ProtocolQuery = { readonly name: string } | { readonly number: number };

/**
 * Every entry matching the query, in file order. The first is what getprotobyname /
 * getprotobynumber return.
 */
export function findProtocols(
  entries: readonly ProtocolEntry[],
  query: ProtocolQuery,
): ProtocolEntry[] {
  return entries.filter((e) =>
    "number" in query ? e.number === query.number : answersTo(e, query.name)
  );
}

/** The result of the `proto` command. */
export interface ProtocolResult {
  /** The name or number as given. */
  readonly query: string;
  /** Whether the query was a name (getprotobyname) or a number (getprotobynumber). */
  readonly by: "name" | "number";
  /** Where the answer came from: the file's path, or "embedded" for the built-in table. */
  readonly source: string;
  /** Every matching entry in file order; the first is the C library's answer. */
  readonly entries: readonly ProtocolEntry[];
}

/**
 * Reads a `proto` operand: all digits is a protocol number (0..65535), anything else a name.
 * Throws an {@link InputError} for an empty operand, a blank in it or a number out of range.
 */
export function parseProtocolQuery(text: string): ProtocolQuery {
  if (text === "" || /\s/.test(text)) {
    throw new InputError(
      `invalid protocol ${quote(text)}: expected a protocol name or a number ` +
        `0-${MAX_PROTOCOL_NUMBER}`,
    );
  }
  if (!/^[0-9]+$/.test(text)) return { name: text };
  return {
    number: parseInteger(text, {
      min: 0,
      max: MAX_PROTOCOL_NUMBER,
      what: "protocol number",
      hex: false,
    }),
  };
}

/**
 * Looks a protocol up by name or number as getprotobyname / getprotobynumber do and lists every
 * match. Throws a {@link NegativeError} (exit 1) when nothing matches.
 */
export function lookupProtocol(
  entries: readonly ProtocolEntry[],
  source: string,
  text: string,
): ProtocolResult {
  const query = parseProtocolQuery(text);
  const found = findProtocols(entries, query);
  const by = "number" in query ? "number" : "name";
  if (found.length === 0) {
    const what = by === "number" ? `no protocol number ${text}` : `unknown protocol ${quote(text)}`;
    throw new NegativeError(`${what}: not found in ${describeSource(source, "protocols")}`);
  }
  return { query: text, by, source, entries: found };
}

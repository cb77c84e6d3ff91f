/**
 * The `dns` engine: queries straight to a DNS server, dig-style, one exchange per (name, type),
 * alone or in batches. Replies are hostile input: the DNS client (lib/net/dns_client.ts)
 * accepts only the server's own reply to the question asked and bounds everything it decodes.
 * @module
 */
import { validateDnsName } from "../core/dns_name.ts";
import type { DnsExchange, DnsTransport } from "../core/dns_exchange.ts";
import { dnsLookupStatus } from "../core/dns_exchange.ts";
import { parseRecordType, type RecordType } from "../core/dns_types.ts";
import { InputError } from "../core/errors.ts";
import { DnsClient } from "../net/dns_client.ts";
import type { NetAdapter } from "../net/types.ts";
import { type LookupBatch, type LookupHooks, runLookups } from "./batch.ts";
import { dnsServerFor } from "./name_service.ts";
import { dnsServerOfFamily } from "./server_family.ts";
import {
  type BatchOptions,
  DEFAULT_TIMEOUT_MS,
  type LookupOptions,
  pickConcurrency,
  pickServer,
} from "./options.ts";

/** How to reach the server: UDP with a retry over TCP when truncated (`udp`), or TCP only. */
export interface DnsTransportOptions extends LookupOptions {
  /** `udp` (the default: UDP with EDNS, TCP when the answer is truncated) or `tcp` only. */
  readonly transport?: DnsTransport;
  /**
   * Reach the server over IPv4 (4) or IPv6 (6) only, as dig's -4 / -6; default any. Without a
   * `server`, the first nameserver of the family in resolv.conf is asked; a `server` of the
   * other family is an InputError, a resolv.conf without one an OperationalError.
   */
  readonly family?: 4 | 6;
}

/** Options of {@link queryDns}. */
export interface DnsQueryOptions extends DnsTransportOptions {
  /** The name to ask about (`.` for the root). */
  readonly name: string;
  /** The record types to ask for (any case); default `["A"]`. */
  readonly types?: readonly string[];
}

/** Options of {@link queryDnsBatch}. */
export interface DnsBatchOptions extends DnsTransportOptions, BatchOptions {
  /** Query lines as `dig -f` reads them: `NAME [TYPE...]`. */
  readonly queries: Iterable<string> | AsyncIterable<string>;
  /** The types of a line that names none; default `["A"]`. */
  readonly types?: readonly string[];
}

/** One query of a batch: a name and a type. */
export interface DnsQuestionSpec {
  readonly name: string;
  readonly type: RecordType;
}

/**
 * The questions of a name and its types (any case; `["A"]` when none): one per type. Throws an
 * InputError naming a bad name or an unknown type.
 */
export function dnsQuestions(
  name: string,
  types: readonly string[] = ["A"],
): DnsQuestionSpec[] {
  const checked = validateDnsName(name, { allowRoot: true });
  return (types.length ? types : ["A"]).map((t) => ({ name: checked, type: parseRecordType(t) }));
}

/**
 * Parses a `NAME [TYPE...]` line into one question per type (`defaults` when it names none).
 * Throws an InputError naming a bad name or an unknown type.
 */
export function parseQueryLine(
  line: string,
  defaults: readonly string[] = ["A"],
): DnsQuestionSpec[] {
  const parts = words(line);
  return dnsQuestions(parts[0] ?? "", parts.length > 1 ? parts.slice(1) : defaults);
}

/** The words of a line split at whitespace (as `trim().split(/\s+/)`, "" for a blank line). */
function words(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 0x20;
    if (c >= 0x80) return line.trim().split(/\s+/); // Unicode spaces: the regular expression
    const space = c === 0x20 || (c >= 0x09 && c <= 0x0d);
    if (!space && start < 0) start = i;
    else if (space && start >= 0) {
      out.push(line.slice(start, i));
      start = -1;
    }
  }
  return out.length ? out : [""];
}

async function openClient(
  adapter: NetAdapter | undefined,
  options: DnsTransportOptions,
  signal?: AbortSignal,
): Promise<DnsClient> {
  const { family, resolvConfPath } = options;
  const server = family
    ? await dnsServerOfFamily({ server: pickServer(options), family, resolvConfPath })
    : await dnsServerFor(pickServer(options), resolvConfPath);
  return await DnsClient.open(server, {
    adapter,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    tcp: options.transport === "tcp",
    signal,
  });
}

/**
 * Asks the server for each of `options.types` of `options.name`, at once; resolves with one
 * exchange per type, in order, each also handed to `hooks.onResult`. Every outcome (NXDOMAIN,
 * SERVFAIL, TIMEOUT, MALFORMED, …) is an exchange's status, never a rejection; rejects with an
 * InputError for a bad name, type or server, and with the abort reason when `signal` aborts.
 *
 * @example
 * ```ts ignore
 * import { queryDns } from "./mod.ts";
 * const [mx] = await queryDns(undefined, { name: "example.com", types: ["MX"] });
 * mx.status; // "NOERROR", "NXDOMAIN", …
 * ```
 */
export async function queryDns(
  adapter: NetAdapter | undefined,
  options: DnsQueryOptions,
  hooks: LookupHooks<DnsExchange> = {},
  signal?: AbortSignal,
): Promise<DnsExchange[]> {
  const questions = dnsQuestions(options.name, options.types);
  const client = await openClient(adapter, options);
  try {
    const exchanges = await Promise.all(
      questions.map((q) => client.query(q.name, q.type, signal)),
    );
    signal?.throwIfAborted();
    for (const exchange of exchanges) hooks.onResult?.(exchange);
    return exchanges;
  } finally {
    client.close();
  }
}

/** A question of a batch, or a line that is none (with why). */
type BatchItem = DnsQuestionSpec | { readonly line: string; readonly error: InputError };

/** The items of one query line: one per (name, type), or the line with why it is none. */
function lineItems(line: string, defaults: readonly string[] | undefined): BatchItem[] {
  try {
    return parseQueryLine(line, defaults);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [{ line, error }];
  }
}

/**
 * Expands query lines into one item per (name, type), as they are read: synchronously when the
 * lines are (a file read whole), so that a batch pays no promise per line for reading it.
 */
function expand(
  lines: Iterable<string> | AsyncIterable<string>,
  defaults: readonly string[] | undefined,
): Iterable<BatchItem> | AsyncIterable<BatchItem> {
  if (Symbol.iterator in lines) {
    return (function* () {
      for (const line of lines) yield* lineItems(line, defaults);
    })();
  }
  return (async function* () {
    for await (const line of lines) yield* lineItems(line, defaults);
  })();
}

/**
 * Asks the server every question of `options.queries` (lines `NAME [TYPE...]`, as `dig -f`
 * reads them), at most `options.concurrency` at once, handing each exchange to
 * `hooks.onResult` in input order. Bad lines are counted and skipped (`hooks.onInvalid`); an
 * abort of `signal` ends the batch early, marked interrupted.
 */
export async function queryDnsBatch(
  adapter: NetAdapter | undefined,
  options: DnsBatchOptions,
  hooks: LookupHooks<DnsExchange> = {},
  signal?: AbortSignal,
): Promise<LookupBatch<DnsExchange>> {
  const defaults = (options.types ?? ["A"]).map(parseRecordType);
  // The batch's signal is the client's: aborting it ends every query in flight at once, with no
  // abort listener per query.
  const client = await openClient(adapter, options, signal);
  try {
    return await runLookups<BatchItem, DnsExchange>(
      {
        inputs: expand(options.queries, defaults),
        concurrency: pickConcurrency(options.concurrency),
        keepResults: options.keepResults ?? true,
        lookup: (item) => {
          if ("error" in item) throw item.error;
          return client.query(item.name, item.type);
        },
        status: (exchange) => dnsLookupStatus(exchange.status),
        text: (item) => "line" in item ? item.line : `${item.name} ${item.type}`,
      },
      hooks,
      signal,
    );
  } finally {
    client.close();
  }
}

/**
 * The `resolve` and `reverse` engines: batches of names to addresses and of addresses to names,
 * from the system resolver, the hosts file and DNS, with bounded concurrency.
 * @module
 */
import { parseScopedIpLiteral, validateDnsName } from "../core/dns_name.ts";
import { InputError, quote } from "../core/errors.ts";
import type {
  LookupSource,
  LookupStatus,
  ResolveMode,
  ResolveResult,
  ReverseResult,
} from "../core/name_lookup.ts";
import type { NetAdapter } from "../net/types.ts";
import { type LookupBatch, type LookupHooks, runLookups } from "./batch.ts";
import { NameService } from "./name_service.ts";
import {
  checkHostsFile,
  type NameLookupOptions,
  pickConcurrency,
  pickServer,
  pickSources,
} from "./options.ts";

/** Options of {@link resolve}. */
export interface ResolveOptions extends NameLookupOptions {
  /** The names to resolve: an array, or a stream (the lines of a file, say). */
  readonly names: Iterable<string> | AsyncIterable<string>;
  /**
   * What to return per name: `all` addresses (getaddrinfo), the `first` IPv4 address
   * (gethostbyname), or the canonical name, aliases and IPv4 addresses (`ex`,
   * gethostbyname_ex). Default `all`.
   */
  readonly mode?: ResolveMode;
  /** Only IPv4 (4) or IPv6 (6) addresses, with mode `all`; default both. */
  readonly family?: 4 | 6;
}

/** Options of {@link reverse}. */
export interface ReverseOptions extends NameLookupOptions {
  /** The addresses (or names, resolved to their first address first) to look up. */
  readonly addresses: Iterable<string> | AsyncIterable<string>;
}

/**
 * Checks a name to resolve and returns it without a trailing dot; an {@link InputError} names
 * a bad one (empty, over 253 characters, a label over 63).
 */
export function validateResolveName(name: string): string {
  return validateDnsName(name);
}

/**
 * Checks an input of {@link reverse}: an IP address (an IPv6 zone allowed) or a host name; an
 * {@link InputError} names a bad one.
 */
export function validateReverseQuery(text: string): string {
  if (parseScopedIpLiteral(text)) return text;
  try {
    return validateDnsName(text);
  } catch {
    throw new InputError(
      `invalid address ${quote(text)}: expected an IPv4 or IPv6 address (or a host name)`,
    );
  }
}

/**
 * Resolves names to addresses from the sources `options.source` picks, at most
 * `options.concurrency` at once, handing each result to `hooks.onResult` in input order.
 * Invalid names are counted and skipped (`hooks.onInvalid`); an abort of `signal` ends the
 * batch early, marked interrupted. Rejects with an InputError for bad options (a server with
 * source `hosts`, family 6 with mode `first` or `ex`, a hosts file that is no regular file).
 *
 * @example
 * ```ts ignore
 * import { resolve } from "./mod.ts";
 * const { results } = await resolve(undefined, { names: ["localhost"], source: "hosts" });
 * results[0].answers[0].addresses; // [{ address: "127.0.0.1", family: 4, line: 1 }, …]
 * ```
 */
export async function resolve(
  adapter: NetAdapter | undefined,
  options: ResolveOptions,
  hooks: LookupHooks<ResolveResult> = {},
  signal?: AbortSignal,
): Promise<LookupBatch<ResolveResult>> {
  const mode = options.mode ?? "all";
  if (mode !== "all" && options.family === 6) {
    throw new InputError(`family 6 does not go with mode ${quote(mode)}: it is IPv4 only`);
  }
  return await lookupBatch(
    adapter,
    options,
    {
      inputs: options.names,
      family: options.family,
      lookup: (service, sources, name, cut) => {
        validateResolveName(name);
        return service.resolve(name, sources, mode, cut);
      },
    },
    hooks,
    signal,
  );
}

/**
 * Looks addresses up as gethostbyaddr does: the hosts file, then a PTR query (source `system`,
 * the default, as glibc's "files dns"); `hosts` or `dns` asks one of them, `all` shows hosts,
 * dns and the combination side by side. A name is resolved to its first address first, as
 * CPython does. Batches, hooks, signal and errors as {@link resolve}.
 *
 * @example
 * ```ts ignore
 * import { reverse } from "./mod.ts";
 * const { results } = await reverse(undefined, { addresses: ["127.0.0.1"] });
 * results[0].answers[0].hostname; // "localhost"
 * ```
 */
export async function reverse(
  adapter: NetAdapter | undefined,
  options: ReverseOptions,
  hooks: LookupHooks<ReverseResult> = {},
  signal?: AbortSignal,
): Promise<LookupBatch<ReverseResult>> {
  return await lookupBatch(
    adapter,
    options,
    {
      inputs: options.addresses,
      lookup: (service, sources, query, cut) => {
        validateReverseQuery(query);
        return service.reverse(query, sources, cut);
      },
    },
    hooks,
    signal,
  );
}

/** What {@link lookupBatch} looks up, and how. */
interface LookupPlan<R> {
  readonly inputs: Iterable<string> | AsyncIterable<string>;
  readonly family?: 4 | 6;
  readonly lookup: (
    service: NameService,
    sources: LookupSource[],
    input: string,
    cut: AbortSignal,
  ) => Promise<R>;
}

/** The batch both engines run: the sources and one name service, closed at the end. */
async function lookupBatch<R extends { status: LookupStatus }>(
  adapter: NetAdapter | undefined,
  options: NameLookupOptions,
  plan: LookupPlan<R>,
  hooks: LookupHooks<R>,
  signal: AbortSignal | undefined,
): Promise<LookupBatch<R>> {
  const server = pickServer(options);
  const sources = pickSources(options.source, server);
  await checkHostsFile(options.hostsFile);
  const service = new NameService({
    adapter,
    server,
    hostsPath: options.hostsFile,
    resolvConfPath: options.resolvConfPath,
    timeoutMs: options.timeoutMs,
    family: plan.family,
    signal,
  });
  try {
    return await runLookups(
      {
        inputs: plan.inputs,
        concurrency: pickConcurrency(options.concurrency),
        keepResults: options.keepResults ?? true,
        lookup: (input, cut) => plan.lookup(service, sources, input, cut),
        status: (result) => result.status,
        text: (input) => input,
      },
      hooks,
      signal,
    );
  } finally {
    service.close();
  }
}

/**
 * Name lookups for library users: `resolve` (names to addresses, as getaddrinfo,
 * gethostbyname or gethostbyname_ex answer, or from the hosts file or DNS) and `reverse`
 * (addresses to names, as gethostbyaddr), one at a time or in batches.
 * @module
 */
import { netAdapter } from "../net/mod.ts";
import {
  type LookupBatch,
  type LookupHooks,
  resolve as resolveEngine,
  type ResolveMode,
  type ResolveResult,
  reverse as reverseEngine,
  type ReverseResult,
  type SourceChoice,
  validateResolveName,
  validateReverseQuery,
} from "../resolve/mod.ts";
import { lookupOptions, type NameLookupBaseOptions } from "./lookup_options.ts";

export type { LookupHooks };

/** Options of {@link reverse}: where to look, and the shared lookup options. */
export interface ReverseLookupOptions extends NameLookupBaseOptions {
  /**
   * Where to look: `system` (the default: the hosts file, then DNS, as glibc's "files dns"),
   * `hosts` (the hosts file only), `dns` (a PTR query only; the default when `server` is
   * given), or `all` (each of them side by side, with whether they agree).
   */
  readonly source?: SourceChoice;
  /** The hosts file; default `/etc/hosts`. */
  readonly hostsFile?: string;
}

/** Options of {@link resolve}: {@link ReverseLookupOptions}, what to return, and the family. */
export interface ResolveLookupOptions extends ReverseLookupOptions {
  /**
   * What to return: `all` addresses (getaddrinfo, the default), the `first` IPv4 address
   * (gethostbyname), or the canonical name, aliases and IPv4 addresses (`ex`,
   * gethostbyname_ex).
   */
  readonly mode?: ResolveMode;
  /** Only IPv4 (4) or only IPv6 (6) addresses, with mode `all`; default both. */
  readonly family?: 4 | 6;
}

/** Options of the batch lookups: the lookup's options and how many run at once. */
export interface BatchLookupOptions {
  /** Lookups in flight at once; default 32. */
  readonly concurrency?: number;
  /** Keep every result for the batch's `results`; default true (false: use `hooks.onResult`). */
  readonly keepResults?: boolean;
}

/** The one result of a batch of one, or the reason the batch was cut short. */
function only<R>(batch: LookupBatch<R>, signal: AbortSignal | undefined): R {
  signal?.throwIfAborted();
  const [result] = batch.results;
  if (result === undefined) throw new Error("the lookup ended without a result");
  return result;
}

function resolveOptions(options: ResolveLookupOptions) {
  return {
    ...lookupOptions(options),
    source: options.source,
    hostsFile: options.hostsFile,
    mode: options.mode,
    family: options.family,
  };
}

function reverseOptions(options: ReverseLookupOptions) {
  return { ...lookupOptions(options), source: options.source, hostsFile: options.hostsFile };
}

/**
 * Resolves a host name to its addresses. Resolves with the result whatever the answer:
 * `status` says `ok`, `not-found`, `no-data`, `timeout` or `failure`, and `answers` holds one
 * answer per source asked (its addresses, where it came from, how long it took). Rejects with
 * an `InputError` for a malformed name or options that do not go together, and with the
 * signal's reason when it aborts.
 *
 * @example Resolve `localhost` from the hosts file
 * ```ts
 * import { resolve } from "@netdiag/netdiag";
 * const result = await resolve("localhost", { source: "hosts" });
 * console.log(result.status, result.answers[0].addresses.map((a) => a.address));
 * ```
 */
export async function resolve(
  name: string,
  options: ResolveLookupOptions = {},
): Promise<ResolveResult> {
  options.signal?.throwIfAborted();
  validateResolveName(name);
  const batch = await resolveEngine(
    await netAdapter(),
    { ...resolveOptions(options), names: [name] },
    {},
    options.signal,
  );
  return only(batch, options.signal);
}

/**
 * Resolves many names (an array, or an async iterable such as the lines of a file), at most
 * `concurrency` at once; `hooks.onResult` hears each result in input order as soon as it is
 * known, `hooks.onInvalid` each malformed name (skipped and counted). Resolves with the results
 * and a summary; an abort of the signal ends the batch early, marked `interrupted`.
 *
 * @example
 * ```ts
 * import { resolveBatch } from "@netdiag/netdiag";
 * const { summary } = await resolveBatch(["localhost", "ip6-localhost"], { source: "hosts" });
 * console.log(summary.count); // 2
 * ```
 */
export async function resolveBatch(
  names: Iterable<string> | AsyncIterable<string>,
  options: ResolveLookupOptions & BatchLookupOptions = {},
  hooks: LookupHooks<ResolveResult> = {},
): Promise<LookupBatch<ResolveResult>> {
  return await resolveEngine(
    await netAdapter(),
    {
      ...resolveOptions(options),
      names,
      concurrency: options.concurrency,
      keepResults: options.keepResults,
    },
    hooks,
    options.signal,
  );
}

/**
 * Looks an IP address up as gethostbyaddr does (a host name is resolved to its first address
 * first, as CPython does). Resolves with the result whatever the answer (`status`, and one
 * answer per source with its host name and aliases); rejects with an `InputError` for a
 * malformed address and with the signal's reason when it aborts.
 *
 * @example
 * ```ts
 * import { reverse } from "@netdiag/netdiag";
 * const result = await reverse("127.0.0.1", { source: "hosts" });
 * console.log(result.status, result.answers[0].hostname); // "ok" "localhost" on most systems
 * ```
 */
export async function reverse(
  address: string,
  options: ReverseLookupOptions = {},
): Promise<ReverseResult> {
  options.signal?.throwIfAborted();
  validateReverseQuery(address);
  const batch = await reverseEngine(
    await netAdapter(),
    { ...reverseOptions(options), addresses: [address] },
    {},
    options.signal,
  );
  return only(batch, options.signal);
}

/**
 * Looks many addresses up, as {@link reverse} does one, at most `concurrency` at once; hooks,
 * results and abort as {@link resolveBatch}.
 *
 * @example
 * ```ts
 * import { reverseBatch } from "@netdiag/netdiag";
 * const { results } = await reverseBatch(["127.0.0.1", "::1"], { source: "hosts" });
 * console.log(results.map((r) => r.status));
 * ```
 */
export async function reverseBatch(
  addresses: Iterable<string> | AsyncIterable<string>,
  options: ReverseLookupOptions & BatchLookupOptions = {},
  hooks: LookupHooks<ReverseResult> = {},
): Promise<LookupBatch<ReverseResult>> {
  return await reverseEngine(
    await netAdapter(),
    {
      ...reverseOptions(options),
      addresses,
      concurrency: options.concurrency,
      keepResults: options.keepResults,
    },
    hooks,
    options.signal,
  );
}

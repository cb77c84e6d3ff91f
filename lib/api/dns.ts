/**
 * DNS queries for library users, dig-style: straight to a server (by default the first of
 * resolv.conf), one exchange per record type, alone or in batches.
 * @module
 */
import { netAdapter } from "../net/mod.ts";
import {
  type DnsExchange,
  type DnsTransport,
  type LookupBatch,
  type LookupHooks,
  queryDns as queryEngine,
  queryDnsBatch as batchEngine,
} from "../resolve/mod.ts";
import { lookupOptions, type NameLookupBaseOptions } from "./lookup_options.ts";
import type { BatchLookupOptions } from "./names.ts";

/** Options of {@link queryDns}: the record types, the transport and the shared options. */
export interface DnsQueryOptions extends NameLookupBaseOptions {
  /** The record types to ask for, any case (`A`, `AAAA`, `MX`, `TXT`, …); default `["A"]`. */
  readonly types?: readonly string[];
  /**
   * `udp` (the default: UDP with EDNS, again over TCP when the answer is truncated) or `tcp`
   * only.
   */
  readonly transport?: DnsTransport;
}

/**
 * Asks a DNS server for each of `options.types` of `name`, at once, and resolves with one
 * exchange per type, in order. Every outcome is an exchange's `status` (`NOERROR`, `NXDOMAIN`,
 * `NODATA`, `SERVFAIL`, `TIMEOUT`, `UNREACHABLE`, `MALFORMED`, …), never a rejection; rejects
 * with an `InputError` for a malformed name, an unknown type or a bad server, and with the
 * signal's reason when it aborts.
 *
 * @example Ask a server; here one that is not there, so the status says TIMEOUT or UNREACHABLE
 * ```ts
 * import { queryDns } from "@netdiag/netdiag";
 * const [a] = await queryDns("example.com", { server: "127.0.0.1:9", timeoutMs: 300 });
 * console.log(a.recordType, a.status, a.answers.length); // "A" and the outcome
 * ```
 */
export async function queryDns(
  name: string,
  options: DnsQueryOptions = {},
): Promise<DnsExchange[]> {
  options.signal?.throwIfAborted();
  return await queryEngine(
    await netAdapter(),
    {
      ...lookupOptions(options),
      name,
      types: options.types,
      transport: options.transport,
    },
    {},
    options.signal,
  );
}

/** Options of {@link queryDnsBatch}. */
export interface DnsBatchQueryOptions extends DnsQueryOptions, BatchLookupOptions {}

/**
 * Asks a DNS server every question of `queries`: lines `NAME [TYPE...]` as `dig -f` reads them
 * (a line without a type asks `options.types`), at most `concurrency` at once. `hooks.onResult`
 * hears each exchange in input order as soon as it is known, `hooks.onInvalid` each bad line
 * (skipped and counted); an abort of the signal ends the batch early, marked `interrupted`.
 *
 * @example
 * ```ts
 * import { queryDnsBatch } from "@netdiag/netdiag";
 * const batch = await queryDnsBatch(["example.com A", "example.org MX"], {
 *   server: "127.0.0.1:9",
 *   timeoutMs: 300,
 * });
 * console.log(batch.summary.count); // 2
 * ```
 */
export async function queryDnsBatch(
  queries: Iterable<string> | AsyncIterable<string>,
  options: DnsBatchQueryOptions = {},
  hooks: LookupHooks<DnsExchange> = {},
): Promise<LookupBatch<DnsExchange>> {
  options.signal?.throwIfAborted();
  return await batchEngine(
    await netAdapter(),
    {
      ...lookupOptions(options),
      queries,
      types: options.types,
      transport: options.transport,
      concurrency: options.concurrency,
      keepResults: options.keepResults,
    },
    hooks,
    options.signal,
  );
}

/**
 * The options the lookup engines share (where to ask, how long to wait, how many at once), with
 * their defaults, and the checks that turn them into a plan.
 * @module
 */
import { type DnsServer, parseDnsServer } from "../core/dns_server.ts";
import { InputError, quote } from "../core/errors.ts";
import type { LookupSource } from "../core/name_lookup.ts";
import { isRegularFile } from "../runtime/read_text.ts";

/** Where `resolve` and `reverse` look: one source, or `all` of them side by side. */
export type SourceChoice = LookupSource | "all";

/** The sources {@link SourceChoice} `all` asks, in order. */
export const ALL_SOURCES: readonly LookupSource[] = ["hosts", "dns", "system"];

/** Default time limit of one lookup, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Default number of lookups in flight at once in a batch. */
export const DEFAULT_CONCURRENCY = 32;

/** Options every lookup engine takes. */
export interface LookupOptions {
  /**
   * The DNS server: `{ hostname, port }`, or text as `parseDnsServer` reads it (`127.0.0.1`,
   * `127.0.0.1:5353`, `[::1]:5353`). Default: the first nameserver of `resolvConfPath`.
   */
  readonly server?: DnsServer | string;
  /** resolv.conf, read for the default server; default /etc/resolv.conf. */
  readonly resolvConfPath?: string;
  /** Time limit of each lookup in milliseconds; default {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Options of the engines that take a batch of inputs. */
export interface BatchOptions extends LookupOptions {
  /** Lookups in flight at once; default {@link DEFAULT_CONCURRENCY}. */
  readonly concurrency?: number;
  /**
   * Keep every result for the batch's `results`; default true. Turn it off when the results are
   * taken from the `onResult` hook as they come (a long stream of names).
   */
  readonly keepResults?: boolean;
}

/** Options of `resolve` and `reverse`: {@link BatchOptions} and the sources to ask. */
export interface NameLookupOptions extends BatchOptions {
  /** Where to look; default `system`, or `dns` when a `server` is given. */
  readonly source?: SourceChoice;
  /** The hosts file; default /etc/hosts. */
  readonly hostsFile?: string;
}

/** The server of `options`, parsed when given as text (a bad one is an InputError). */
export function pickServer(options: LookupOptions): DnsServer | undefined {
  const { server } = options;
  return typeof server === "string" ? parseDnsServer(server) : server;
}

/**
 * The sources a choice asks: `all` is hosts, dns and system. A server given with the `hosts`
 * or (asked for explicitly) `system` source is an InputError: only DNS would ask it.
 */
export function pickSources(
  choice: SourceChoice | undefined,
  server: DnsServer | undefined,
): LookupSource[] {
  const picked = choice ?? (server ? "dns" : "system");
  if (server && (picked === "hosts" || (picked === "system" && choice))) {
    throw new InputError(
      `a DNS server does not go with source ${quote(picked)}: ` +
        `the server is asked only with source "dns" or "all"`,
    );
  }
  return picked === "all" ? [...ALL_SOURCES] : [picked];
}

/**
 * Refuses a hosts file that exists but is not a regular file (a FIFO would keep the lookup
 * waiting for a writer, whatever the timeout says) with an InputError. A missing file is left
 * to the lookup, which reports it as "cannot read".
 */
export async function checkHostsFile(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const regular = await isRegularFile(path).catch(() => true);
  if (!regular) {
    throw new InputError(`cannot read hosts file ${quote(path)}: not a regular file`);
  }
}

/** A positive whole number of lookups in flight, from `concurrency` or the default. */
export function pickConcurrency(concurrency: number | undefined): number {
  return Math.max(1, Math.floor(concurrency ?? DEFAULT_CONCURRENCY));
}

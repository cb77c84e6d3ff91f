/**
 * The `hostname` engine: gethostname, and getfqdn with CPython's rule (gethostbyaddr of the
 * host name, then the first of its names with a dot).
 * @module
 */
import { NetdiagError } from "../core/errors.ts";
import { pickFqdn } from "../core/fqdn.ts";
import type { HostnameResult, ReverseResult } from "../core/name_lookup.ts";
import { systemHostname } from "../net/system_resolver.ts";
import type { NetAdapter } from "../net/types.ts";
import { NameService } from "./name_service.ts";
import { type LookupOptions, pickServer } from "./options.ts";

/** Options of {@link hostname}. */
export interface HostnameOptions extends LookupOptions {
  /** Also find the fully qualified name, as CPython's socket.getfqdn() does; default false. */
  readonly fqdn?: boolean;
  /** The hosts file gethostbyaddr reads; default /etc/hosts. */
  readonly hostsFile?: string;
}

/**
 * The host name (gethostname); with `options.fqdn`, CPython's getfqdn: gethostbyaddr of the
 * host name (its first getaddrinfo address, then the hosts file, then a PTR query), then the
 * first of the answer's host name and aliases that contains a dot, else its host name; the
 * plain host name when the lookup fails. Rejects with the abort reason when `signal` aborts.
 *
 * @example
 * ```ts ignore
 * import { hostname } from "./mod.ts";
 * (await hostname(undefined, { fqdn: true })).fqdn; // "vm.example.com"
 * ```
 */
export async function hostname(
  adapter?: NetAdapter,
  options: HostnameOptions = {},
  signal?: AbortSignal,
): Promise<HostnameResult> {
  const name = await systemHostname();
  if (!options.fqdn) return { hostname: name };
  const service = new NameService({
    adapter,
    server: pickServer(options),
    hostsPath: options.hostsFile,
    resolvConfPath: options.resolvConfPath,
    timeoutMs: options.timeoutMs,
  });
  let byAddr: ReverseResult;
  try {
    byAddr = await service.reverse(name, ["system"], signal);
  } catch (error) {
    // A host name that is no valid DNS name cannot be looked up: getfqdn keeps it.
    if (!(error instanceof NetdiagError)) throw error;
    byAddr = { query: name, status: "failure", reason: error.message, answers: [], timeMs: 0 };
  } finally {
    service.close();
  }
  signal?.throwIfAborted();
  const answer = byAddr.answers[0];
  const found = answer?.status === "ok"
    ? { hostname: answer.hostname ?? "", aliases: answer.aliases }
    : undefined;
  return { hostname: name, fqdn: pickFqdn(name, found), gethostbyaddr: byAddr };
}

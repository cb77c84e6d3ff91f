/**
 * The host name for library users: gethostname, and CPython's getfqdn.
 * @module
 */
import { netAdapter } from "../net/mod.ts";
import { hostname as hostnameEngine, type HostnameResult } from "../resolve/mod.ts";
import { lookupOptions, type NameLookupBaseOptions } from "./lookup_options.ts";

/** Options of {@link hostname}. */
export interface HostnameOptions extends NameLookupBaseOptions {
  /** Also find the fully qualified name, as CPython's `socket.getfqdn()` does; default false. */
  readonly fqdn?: boolean;
  /** The hosts file the fully qualified name's lookup reads; default `/etc/hosts`. */
  readonly hostsFile?: string;
}

/**
 * The machine's host name (gethostname); with `fqdn: true` also its fully qualified name as
 * CPython's `getfqdn()` finds it (gethostbyaddr of the host name, then the first of its names
 * with a dot), with that lookup's result. Rejects with the signal's reason when it aborts.
 *
 * @example
 * ```ts
 * import { hostname } from "@netdiag/netdiag";
 * const { hostname: name } = await hostname();
 * console.log(name.length > 0); // true
 * ```
 */
export async function hostname(options: HostnameOptions = {}): Promise<HostnameResult> {
  options.signal?.throwIfAborted();
  return await hostnameEngine(await netAdapter(), {
    ...lookupOptions(options),
    fqdn: options.fqdn,
    hostsFile: options.hostsFile,
  }, options.signal);
}

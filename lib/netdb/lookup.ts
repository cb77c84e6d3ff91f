/**
 * The `service` and `proto` lookups: getservbyname / getservbyport and getprotobyname /
 * getprotobynumber against the system tables (or the embedded copies).
 * @module
 */
import { lookupProtocol, type ProtocolResult } from "../core/protocols.ts";
import { lookupService, type ServiceResult } from "../core/services.ts";
import { loadProtocols, loadServices, PROTOCOLS_PATH, SERVICES_PATH } from "./tables.ts";

/** Options of {@link serviceLookup}. */
export interface ServiceLookupOptions {
  /** Only entries of this protocol (`tcp`, `udp`, …); default every protocol. */
  readonly proto?: string;
  /** The services file; default /etc/services (the embedded table when it is missing). */
  readonly path?: string;
}

/**
 * Looks a service up by name or port (all digits) and lists every match in file order, the
 * first being the C library's answer. Throws a NegativeError (exit 1) when nothing matches, an
 * InputError (2) for a bad operand, an OperationalError (3) when the file cannot be read.
 *
 * @example
 * ```ts ignore
 * (await serviceLookup("http")).entries[0]; // { name: "http", port: 80, proto: "tcp", aliases: ["www"] }
 * ```
 */
export async function serviceLookup(
  query: string,
  options: ServiceLookupOptions = {},
): Promise<ServiceResult> {
  const table = await loadServices(options.path ?? SERVICES_PATH);
  return lookupService(table.entries, table.source, query, options.proto);
}

/** Options of {@link protocolLookup}. */
export interface ProtocolLookupOptions {
  /** The protocols file; default /etc/protocols (the embedded table when it is missing). */
  readonly path?: string;
}

/**
 * Looks an IP protocol up by name or number (all digits) and lists every match in file order;
 * errors as {@link serviceLookup}'s.
 *
 * @example
 * ```ts ignore
 * (await protocolLookup("tcp")).entries[0]; // { name: "tcp", number: 6, aliases: ["TCP"] }
 * ```
 */
export async function protocolLookup(
  query: string,
  options: ProtocolLookupOptions = {},
): Promise<ProtocolResult> {
  const table = await loadProtocols(options.path ?? PROTOCOLS_PATH);
  return lookupProtocol(table.entries, table.source, query);
}

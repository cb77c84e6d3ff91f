/**
 * Service and protocol lookups as the C library's `getservbyname`, `getservbyport`,
 * `getprotobyname` and `getprotobynumber` answer them from `/etc/services` and `/etc/protocols`
 * (glibc's "files" rules: the first entry in file order answers; a name matches the official name
 * or an alias). Where the file does not exist, a built-in copy of Debian netbase's table answers.
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { findProtocols, MAX_PROTOCOL_NUMBER, type ProtocolEntry } from "../core/protocols.ts";
import { findServices, type ServiceEntry } from "../core/services.ts";
import { loadProtocols, loadServices } from "../netdb/mod.ts";

/** Options of {@link getServByName} and {@link getServByPort}. */
export interface ServiceLookupOptions {
  /**
   * The services file to read; default `/etc/services`. When the file does not exist, the
   * built-in netbase table answers; when it cannot be read, the lookup rejects with an
   * `OperationalError`.
   */
  readonly path?: string;
}

/** Options of {@link getProtoByName} and {@link getProtoByNumber}. */
export interface ProtocolLookupOptions {
  /**
   * The protocols file to read; default `/etc/protocols`. When the file does not exist, the
   * built-in netbase table answers; when it cannot be read, the lookup rejects with an
   * `OperationalError`.
   */
  readonly path?: string;
}

function checkName(name: string, what: string): void {
  if (typeof name !== "string" || name === "" || /\s/.test(name)) {
    throw new InputError(`invalid ${what} name ${quote(name)}: expected a name without blanks`);
  }
}

function checkNumber(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(`invalid ${what} ${quote(value)}: expected a whole number 0-${max}`);
  }
}

/**
 * The service called `name` (its official name or an alias), optionally only for protocol
 * `proto` (`"tcp"`, `"udp"`, …): the first matching entry of the services file, as
 * `getservbyname` returns it, or undefined when none matches. Throws an `InputError` for an empty
 * name or one with blanks.
 *
 * @example
 * ```ts
 * import { getServByName } from "@netdiag/netdiag";
 * const http = await getServByName("http", "tcp");
 * console.log(http?.port); // 80
 * ```
 */
export async function getServByName(
  name: string,
  proto?: string,
  options: ServiceLookupOptions = {},
): Promise<ServiceEntry | undefined> {
  checkName(name, "service");
  const { entries } = await loadServices(options.path);
  return findServices(entries, { name, proto })[0];
}

/**
 * The service on `port`, optionally only for protocol `proto`: the first matching entry of the
 * services file, as `getservbyport` returns it (the port in host order), or undefined when none
 * matches. Throws an `InputError` for a port outside 0-65535.
 *
 * @example
 * ```ts
 * import { getServByPort } from "@netdiag/netdiag";
 * const service = await getServByPort(443);
 * console.log(service?.name); // "https"
 * ```
 */
export async function getServByPort(
  port: number,
  proto?: string,
  options: ServiceLookupOptions = {},
): Promise<ServiceEntry | undefined> {
  checkNumber(port, 65535, "port");
  const { entries } = await loadServices(options.path);
  return findServices(entries, { port, proto })[0];
}

/**
 * The IP protocol called `name` (its official name or an alias): the first matching entry of the
 * protocols file, as `getprotobyname` returns it, or undefined when none matches.
 *
 * @example
 * ```ts
 * import { getProtoByName } from "@netdiag/netdiag";
 * console.log((await getProtoByName("udp"))?.number); // 17
 * ```
 */
export async function getProtoByName(
  name: string,
  options: ProtocolLookupOptions = {},
): Promise<ProtocolEntry | undefined> {
  checkName(name, "protocol");
  const { entries } = await loadProtocols(options.path);
  return findProtocols(entries, { name })[0];
}

/**
 * The IP protocol numbered `number`: the first matching entry of the protocols file, as
 * `getprotobynumber` returns it, or undefined when none matches. Throws an `InputError` for a
 * number outside 0-65535.
 *
 * @example
 * ```ts
 * import { getProtoByNumber } from "@netdiag/netdiag";
 * console.log((await getProtoByNumber(6))?.name); // "tcp"
 * ```
 */
export async function getProtoByNumber(
  number: number,
  options: ProtocolLookupOptions = {},
): Promise<ProtocolEntry | undefined> {
  checkNumber(number, MAX_PROTOCOL_NUMBER, "protocol number");
  const { entries } = await loadProtocols(options.path);
  return findProtocols(entries, { number })[0];
}

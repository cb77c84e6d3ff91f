/**
 * The lookup tables: services (`/etc/services`) and IP protocols (`/etc/protocols`), with
 * built-in copies of Debian netbase's tables when a file is missing.
 * @module
 */
export {
  protocolLookup,
  type ProtocolLookupOptions,
  serviceLookup,
  type ServiceLookupOptions,
} from "./lookup.ts";
export {
  loadProtocols,
  loadServices,
  type NetdbTable,
  PROTOCOLS_PATH,
  SERVICES_PATH,
} from "./tables.ts";
export type { ProtocolEntry, ProtocolResult } from "../core/protocols.ts";
export type { ServiceEntry, ServiceResult } from "../core/services.ts";

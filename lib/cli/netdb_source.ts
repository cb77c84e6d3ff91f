/**
 * Moved to lib/netdb/ (an engine module, so that engines such as probe may use it). Kept only
 * for lib/cli/probe_run.ts until it imports `../netdb/mod.ts`; then delete this file.
 * @module
 */
export { loadProtocols, loadServices, type NetdbTable } from "../netdb/mod.ts";

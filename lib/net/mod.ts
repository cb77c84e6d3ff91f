/** The socket adapter layer: the contract and the runtime's implementation. */
export * from "./types.ts";
export { netAdapter } from "./adapter.ts";

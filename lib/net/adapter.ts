import type { NetAdapter } from "./types.ts";

let cached: Promise<NetAdapter> | undefined;

/**
 * The running runtime's socket implementation, detected once: Deno's native sockets under Deno,
 * Bun's under Bun. Loaded on first use so that small commands never pay for it.
 * `NETDIAG_NET=node` picks the node:net adapter on Bun instead (for comparisons).
 */
export function netAdapter(): Promise<NetAdapter> {
  cached ??= "Deno" in globalThis
    ? import("./deno.ts").then((m) => m.denoAdapter)
    : globalThis.process?.env?.NETDIAG_NET === "node"
    ? import("./node.ts").then((m) => m.nodeAdapter)
    : import("./bun.ts").then((m) => m.bunAdapter);
  return cached;
}

import type { NetAdapter } from "./types.ts";

let cached: Promise<NetAdapter> | undefined;

/**
 * The running runtime's socket implementation, detected once: Deno's native sockets under Deno,
 * node:net / node:dgram under Bun. Loaded on first use so that small commands never pay for it.
 */
export function netAdapter(): Promise<NetAdapter> {
  cached ??= "Deno" in globalThis
    ? import("./deno.ts").then((m) => m.denoAdapter)
    : import("./node.ts").then((m) => m.nodeAdapter);
  return cached;
}

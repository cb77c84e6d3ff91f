import type { NetAdapter } from "./types.ts";

let cached: Promise<NetAdapter> | undefined;

/**
 * The running runtime's socket implementation, detected once: Deno's native sockets under Deno,
 * Bun's under Bun (`bun.ts`). Loaded on first use so that small commands never pay for it.
 */
export function netAdapter(): Promise<NetAdapter> {
  cached ??= "Deno" in globalThis
    ? import("./deno.ts").then((m) => m.denoAdapter)
    : import("./bun.ts").then((m) => m.bunAdapter);
  return cached;
}

/**
 * The node:net / node:dgram adapter (node.ts), loaded on first use. Bun's adapter needs it only
 * for probe connects and for the UDP sockets `Bun.udpSocket` cannot make; loading it with the
 * adapter cost every command of the compiled binary ~8 ms (node:net and node:stream).
 * @module
 */
import type { NetAdapter } from "./types.ts";

let loading: Promise<NetAdapter> | undefined;

/** node.ts's adapter, imported once. */
export function lazyNodeAdapter(): Promise<NetAdapter> {
  loading ??= import("./node.ts").then((m) => m.nodeAdapter);
  return loading;
}

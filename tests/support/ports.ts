/**
 * Ports for tests that need one nothing listens on: a server another program starts (socat,
 * ncat, dnsmasq) or a port a probe must find closed.
 *
 * A port bound with 0 and released is the kernel's to hand out again: a parallel test's
 * `listen(0)` can get it, and then a test's "closed" port answers. Ports below the kernel's
 * ephemeral range are never handed out that way, nor used as a connection's source port
 * (so no loopback self-connect either), so these come from just below it.
 * @module
 */

import { createServer } from "node:net";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";

/** How many ports below the ephemeral range are drawn from. */
const SPAN = 10_000;

/** Ports this process handed out already, so two calls never return the same one. */
const given = new Set<number>();

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(
      /\s+/,
    );
    const n = Number(low);
    return Number.isInteger(n) ? n : 32768;
  } catch {
    return 32768;
  }
}

/** Whether `port` can be bound on 127.0.0.1 over TCP and UDP right now. */
async function bindable(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  if (!tcp) return false;
  return await new Promise<boolean>((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => resolve(false));
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/**
 * A port on 127.0.0.1 free over TCP and UDP right now, below the ephemeral range.
 * @throws when 200 draws found none free
 */
export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  const bottom = Math.max(1024, top - SPAN);
  for (let i = 0; i < 200; i++) {
    const port = bottom + Math.floor(Math.random() * (top - bottom));
    if (given.has(port) || !(await bindable(port))) continue;
    given.add(port);
    return port;
  }
  throw new Error(`no free port found between ${bottom} and ${top}`);
}

/** A port nothing listens on, TCP or UDP: {@link freePort}, named for what a test wants of it. */
export const closedPort: () => Promise<number> = freePort;

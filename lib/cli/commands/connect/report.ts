/**
 * What `connect` and `listen` say about a relay: the human report lines for stderr and the
 * records of their documents. Renders the relay engine's result types; nothing from lib/net.
 * @module
 */
import { formatBytes, formatDuration } from "../../../output/units.ts";
import type { Dialled, RelayAddress, RelayResult } from "../../../relay/mod.ts";

/** An address for reports: `127.0.0.1:80`, `[::1]:53`, a socket path, "a unix client". */
export function formatRelayAddress(addr: RelayAddress): string {
  if ("path" in addr) return addr.path === "" ? "a unix client" : addr.path;
  return addr.family === 6 ? `[${addr.address}]:${addr.port}` : `${addr.address}:${addr.port}`;
}

/**
 * The peer as `connect` names it: the address alone when that is what was typed, else the name
 * with the address used: `localhost (127.0.0.1:80, 1 of 2 addresses)`.
 */
export function peerLabel(
  host: string | undefined,
  remote: RelayAddress,
  addressCount = 1,
  attempt = 1,
): string {
  const used = formatRelayAddress(remote);
  if (host === undefined || "path" in remote) return used;
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  if (bare === remote.address) return used;
  return `${host} (${used}${addressCount > 1 ? `, ${attempt} of ${addressCount} addresses` : ""})`;
}

/** The label of a dialled connection (see {@link peerLabel}). */
export function dialledLabel(d: Dialled): string {
  return peerLabel(d.host, d.remote, d.addressCount, d.failures.length + 1);
}

/** Bytes each way and how long: what every relay result and total has. */
type Traffic = Pick<RelayResult, "bytesSent" | "bytesReceived" | "durationMs">;

/** `sent 13 B, received 1.27 kB in 3.20 ms` */
export function trafficText(r: Traffic): string {
  return `sent ${formatBytes(r.bytesSent)}, received ${formatBytes(r.bytesReceived)} in ` +
    formatDuration(r.durationMs);
}

/** The report line at the end of a stream relay: `closed: sent …`, `closed (idle): …`, `broken: …`. */
export function closingLine(r: RelayResult): string {
  const how = r.end === "peer"
    ? "closed"
    : r.end === "idle" || r.end === "stopped"
    ? `closed (${r.end})`
    : "broken";
  return `${how}: ${trafficText(r)}`;
}

/** The message of a result's error, for its record. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The fields every relay record has: bytes each way, duration, end (and the error's message). */
export function trafficFields(r: RelayResult) {
  return {
    bytesSent: r.bytesSent,
    bytesReceived: r.bytesReceived,
    durationMs: r.durationMs,
    end: r.end,
    ...(r.error !== undefined ? { error: errorText(r.error) } : {}),
  };
}

/** The totals of a document's summary. */
export function totals(r: Traffic) {
  return { bytesSent: r.bytesSent, bytesReceived: r.bytesReceived, durationMs: r.durationMs };
}

/**
 * The kernel's count of datagrams dropped for a UDP socket (its receive buffer was full), from
 * Linux's `/proc/net/udp` and `/proc/net/udp6`. Read at most once per report, never per datagram.
 * @module
 */
import { inetPton4, inetPton6 } from "../core/inet_pton.ts";
import { readProcNet } from "./proc_net.ts";

/** An address's bytes as the kernel prints them: 32-bit words in host order, or in network order. */
function procForms(bytes: Uint8Array): string[] {
  const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  let swapped = "";
  for (let i = 0; i < bytes.length; i += 4) {
    swapped += hex(Uint8Array.from(bytes.subarray(i, i + 4)).reverse());
  }
  return [swapped.toUpperCase(), hex(bytes).toUpperCase()];
}

/**
 * Drops counted for the UDP socket bound to `hostname`:`port` (summed over the sockets bound
 * there, normally one); undefined where `/proc/net/udp*` cannot be read or lists no such socket.
 */
export function udpReceiveDrops(hostname: string, port: number): number | undefined {
  const v6 = hostname.includes(":");
  const bytes = v6 ? inetPton6(hostname.replace(/^\[|\]$/g, "")) : inetPton4(hostname);
  if (!bytes) return undefined;
  const forms = procForms(Uint8Array.from(bytes));
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const table = readProcNet(v6 ? "udp6" : "udp");
  if (table === undefined) return undefined;
  let drops: number | undefined;
  for (const line of table.split("\n")) {
    // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref ptr drops"
    const fields = line.trim().split(/\s+/);
    if (fields.length < 13) continue;
    const [address, p] = fields[1].split(":");
    if (p !== portHex || !forms.includes(address)) continue;
    const n = Number(fields[12]);
    if (Number.isFinite(n)) drops = (drops ?? 0) + n;
  }
  return drops;
}

/**
 * The drops of a socket bound to `bound`: the kernel's count plus the socket's own inbox's, or
 * undefined when neither has seen any and the kernel's cannot be read.
 */
export function totalReceiveDrops(
  bound: { readonly address: string; readonly port: number },
  inboxDrops: number,
): number | undefined {
  const kernel = udpReceiveDrops(bound.address, bound.port);
  return kernel === undefined && inboxDrops === 0 ? undefined : (kernel ?? 0) + inboxDrops;
}

/**
 * Scripted DNS servers for the cases a real server will not produce on demand: one that answers
 * every query with a fixed response code (SERVFAIL), one that never answers, and a small zone
 * (A and AAAA records of a few names, NXDOMAIN for the rest) for library-level tests.
 */
import { Buffer } from "node:buffer";
import dnsPacket from "dns-packet";
import { type DatagramSocket, netAdapter } from "../../lib/net/mod.ts";

/** A UDP socket on 127.0.0.1 standing in for a DNS server. */
export interface FakeDns {
  readonly server: string;
  close(): void;
}

const RCODES: Record<string, number> = { SERVFAIL: 2, NOTIMP: 4, REFUSED: 5 };

/** A server that answers every query with `rcode` and no records. */
export async function startRcodeServer(rcode: "SERVFAIL" | "NOTIMP" | "REFUSED"): Promise<FakeDns> {
  const adapter = await netAdapter();
  const socket = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const port = (socket.addr as { port: number }).port;
  void (async () => {
    for (;;) {
      let d;
      try {
        d = await socket.receive();
      } catch {
        return;
      }
      try {
        const q = dnsPacket.decode(Buffer.from(d.data));
        const reply = dnsPacket.encode({
          type: "response",
          id: q.id,
          flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | RCODES[rcode],
          questions: q.questions,
        });
        await socket.send(reply, d.from);
      } catch {
        // not a query: ignore
      }
    }
  })();
  return { server: `127.0.0.1:${port}`, close: () => socket.close() };
}

/** A bound UDP socket that never answers (the timeout case). */
export async function startSilentServer(): Promise<FakeDns> {
  const adapter = await netAdapter();
  const socket: DatagramSocket = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const port = (socket.addr as { port: number }).port;
  return { server: `127.0.0.1:${port}`, close: () => socket.close() };
}

/** The records of {@link startZoneServer}: addresses by name (lower case, no trailing dot). */
export type FakeZone = Readonly<
  Record<string, { readonly A?: string[]; readonly AAAA?: string[] }>
>;

/**
 * A server that answers A and AAAA queries from `zone` (TTL 60), NOERROR without records for
 * other types of a known name (NODATA) and NXDOMAIN for unknown names.
 */
export async function startZoneServer(zone: FakeZone): Promise<FakeDns> {
  const adapter = await netAdapter();
  const socket = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const port = (socket.addr as { port: number }).port;
  void (async () => {
    for (;;) {
      let d;
      try {
        d = await socket.receive();
      } catch {
        return;
      }
      try {
        const q = dnsPacket.decode(Buffer.from(d.data));
        const question = q.questions![0];
        const entry = zone[question.name.toLowerCase().replace(/\.$/, "")];
        const type = question.type as "A" | "AAAA";
        const data = entry && (type === "A" || type === "AAAA") ? entry[type] ?? [] : [];
        const reply = dnsPacket.encode({
          type: "response",
          id: q.id,
          flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (entry ? 0 : 3),
          questions: q.questions,
          answers: data.map((address) => ({ type, name: question.name, ttl: 60, data: address })),
        });
        await socket.send(reply, d.from);
      } catch {
        // not a query: ignore
      }
    }
  })();
  return { server: `127.0.0.1:${port}`, close: () => socket.close() };
}

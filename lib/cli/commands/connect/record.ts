/**
 * The parts of `connect`'s document: one result (the connection: the peer in the shared
 * address vocabulary, this end, bytes each way, how it ended) and the totals as its summary.
 * @module
 */
import type { DocumentParts } from "../../../output/document_emit.ts";
import type { DatagramDialled, Dialled, RelayResult } from "../../../relay/mod.ts";
import { totals, trafficFields } from "./report.ts";

/** The document parts of one `connect` relay. */
export function connectParts(
  transport: "tcp" | "udp" | "unix",
  d: Dialled | DatagramDialled,
  r: RelayResult,
): DocumentParts {
  const record = {
    transport,
    ...(d.host !== undefined ? { host: d.host, addressCount: d.addressCount } : {}),
    ...d.remote,
    local: d.local,
    ...("connectMs" in d ? { connectMs: d.connectMs } : {}),
    ...trafficFields(r),
  };
  return { summary: totals(r), results: [record] };
}

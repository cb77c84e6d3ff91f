/**
 * The parts of `listen`'s document: one result per client (its address in the shared
 * vocabulary, bytes each way, how it ended) and, as the summary, the bound address and totals.
 * @module
 */
import type { DocumentParts } from "../../../output/document_emit.ts";
import type { ListenResult, ListenSession } from "../../../relay/mod.ts";
import { totals, trafficFields } from "../connect/report.ts";

/** The document parts of a `listen` run and the client sessions it kept. */
export function listenParts(
  result: ListenResult,
  sessions: readonly ListenSession[],
): DocumentParts {
  return {
    summary: {
      transport: result.transport,
      listening: result.listening,
      clients: result.clients,
      ...totals(result),
      stopped: result.stopped,
    },
    results: sessions.map((s) => ({ ...s.peer, ...trafficFields(s) })),
  };
}

import type { ProtocolResult } from "../../core/protocols.ts";
import type { ServiceResult } from "../../core/services.ts";
import type { DocumentView } from "../document_emit.ts";

/**
 * `service`: one `name port/proto aliases…` line per match, like getent; the document's
 * results are the entries, its summary the query and the table that answered.
 */
export const serviceView: DocumentView<ServiceResult> = {
  command: "service",
  human: (r) =>
    r.entries.map((e) => [e.name, `${e.port}/${e.proto}`, ...e.aliases].join(" ") + "\n").join(""),
  parts: ({ entries, ...summary }) => ({ summary, results: entries }),
};

/**
 * `proto`: one `name number aliases…` line per match, like getent; the document's results are
 * the entries, its summary the query and the table that answered.
 */
export const protocolView: DocumentView<ProtocolResult> = {
  command: "proto",
  human: (r) => r.entries.map((e) => [e.name, e.number, ...e.aliases].join(" ") + "\n").join(""),
  parts: ({ entries, ...summary }) => ({ summary, results: entries }),
};

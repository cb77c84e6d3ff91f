/** The `service` and `proto` commands, loaded when one of them runs. */
import { lookupProtocol } from "../core/protocols.ts";
import { lookupService } from "../core/services.ts";
import { emitDocument } from "../output/document_emit.ts";
import { outputFormat } from "../output/format.ts";
import { protocolView, serviceView } from "../output/views/netdb_view.ts";
import type { NetdiagContext } from "./context.ts";
import { loadProtocols, loadServices } from "./netdb_source.ts";

/** Flags of `service`. */
export interface ServiceFlags {
  readonly json?: boolean;
  readonly proto?: string;
}

/** Runs `service NAME|PORT`. */
export async function serviceCommand(
  this: NetdiagContext,
  flags: ServiceFlags,
  query: string,
): Promise<void> {
  const format = outputFormat(flags);
  const table = await loadServices();
  emitDocument(
    this,
    format,
    lookupService(table.entries, table.source, query, flags.proto),
    serviceView,
  );
}

/** Runs `proto NAME|NUMBER`. */
export async function protoCommand(
  this: NetdiagContext,
  flags: { json?: boolean },
  query: string,
): Promise<void> {
  const format = outputFormat(flags);
  const table = await loadProtocols();
  emitDocument(this, format, lookupProtocol(table.entries, table.source, query), protocolView);
}

/** The `proto` command, loaded when it runs. */
import { protocolLookup } from "../../../netdb/mod.ts";
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { protocolView } from "../../../output/views/netdb_view.ts";
import type { NetdiagContext } from "../../context.ts";

/** Flags of `proto`. */
export interface ProtoFlags {
  readonly json?: boolean;
}

/** Runs `proto NAME|NUMBER`. */
export async function protoCommand(
  this: NetdiagContext,
  flags: ProtoFlags,
  query: string,
): Promise<void> {
  emitDocument(this, outputFormat(flags), await protocolLookup(query), protocolView);
}

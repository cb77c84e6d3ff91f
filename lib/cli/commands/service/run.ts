/** The `service` command, loaded when it runs. */
import { serviceLookup } from "../../../netdb/mod.ts";
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { serviceView } from "../../../output/views/netdb_view.ts";
import type { NetdiagContext } from "../../context.ts";

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
  emitDocument(this, format, await serviceLookup(query, { proto: flags.proto }), serviceView);
}

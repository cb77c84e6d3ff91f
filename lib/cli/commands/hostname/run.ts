/**
 * `netdiag hostname`: flags → {@link HostnameOptions}, the engine's result → its document
 * (lib/output/views/lookup_view.ts).
 * @module
 */
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { hostnameView } from "../../../output/views/lookup_view.ts";
import { hostname } from "../../../resolve/mod.ts";
import type { NetdiagContext } from "../../context.ts";
import type { HostnameFlags } from "./definition.ts";

/** Runs `netdiag hostname [--fqdn]`. */
export async function hostnameCommand(this: NetdiagContext, flags: HostnameFlags): Promise<void> {
  const format = outputFormat(flags);
  const result = await hostname(undefined, { fqdn: flags.fqdn, timeoutMs: flags.timeout });
  emitDocument(this, format, result, hostnameView);
}

/**
 * `netdiag reverse`: flags → {@link ReverseOptions}, the engine's results → the document stream
 * (lib/output/views/lookup_view.ts).
 * @module
 */
import { InputError } from "../../../core/errors.ts";
import { outputFormat } from "../../../output/format.ts";
import { reverseView } from "../../../output/views/lookup_view.ts";
import { reverse, validateReverseQuery } from "../../../resolve/mod.ts";
import type { NetdiagContext } from "../../context.ts";
import { batchInputs, streamBatch } from "../lookup_batch.ts";
import type { NameLookupFlags } from "../lookup_flags.ts";

/** Runs `netdiag reverse ADDR...`. */
export async function reverseCommand(
  this: NetdiagContext,
  flags: NameLookupFlags,
  ...queries: string[]
): Promise<void> {
  if (queries.length === 0) {
    throw new InputError("missing address: give one or more, or - to read them from stdin");
  }
  for (const query of queries) if (query !== "-") validateReverseQuery(query);
  const format = outputFormat(flags);
  await streamBatch(this, {
    format,
    quiet: flags.quiet,
    view: reverseView,
    noun: "address",
    summaryLine: (s) => format === "human" && s.count + s.invalid > 1,
  }, (hooks, signal) =>
    reverse(
      undefined,
      {
        addresses: batchInputs(this, queries),
        source: flags.source,
        server: flags.server,
        hostsFile: flags.hostsFile,
        timeoutMs: flags.timeout,
        concurrency: flags.concurrency,
        keepResults: false,
      },
      hooks,
      signal,
    ));
}

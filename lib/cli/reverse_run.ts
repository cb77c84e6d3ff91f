/**
 * `netdiag reverse`: gethostbyaddr for addresses, from the hosts file and PTR records.
 * @module
 */
import { parseScopedIpLiteral, validateDnsName } from "../core/dns_name.ts";
import { InputError, quote } from "../core/errors.ts";
import type { LookupSource, ReverseItem } from "../core/name_lookup.ts";
import { NameService } from "../net/name_service.ts";
import { openStream } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { reverseView } from "../output/views/lookup_view.ts";
import type { NetdiagContext } from "./context.ts";
import { batchInputs, runBatch } from "./lookup_batch.ts";
import { checkHostsFile, type NameLookupFlags, pickSources } from "./lookup_flags.ts";

function validateQuery(text: string): void {
  if (parseScopedIpLiteral(text)) return;
  try {
    validateDnsName(text);
  } catch {
    throw new InputError(
      `invalid address ${quote(text)}: expected an IPv4 or IPv6 address (or a host name)`,
    );
  }
}

/** Runs `netdiag reverse`. */
export default async function reverse(
  this: NetdiagContext,
  flags: NameLookupFlags,
  ...args: string[]
): Promise<void> {
  if (args.length === 0) {
    throw new InputError("missing address: give one or more, or - to read them from stdin");
  }
  for (const arg of args) if (arg !== "-") validateQuery(arg);
  const picked = pickSources(flags);
  await checkHostsFile(flags.hostsFile);
  // getaddrinfo has no reverse; "all" shows the hosts file, DNS and gethostbyaddr's combination.
  const sources: LookupSource[] = picked.length > 1 ? ["hosts", "dns", "system"] : picked;
  const format = outputFormat(flags);
  const stream = openStream(this, format, reverseView);
  const service = new NameService({
    hostsPath: flags.hostsFile,
    server: flags.server,
    timeoutMs: flags.timeout,
  });
  try {
    await runBatch<ReverseItem>(this, {
      inputs: batchInputs(this, args),
      concurrency: flags.concurrency,
      validate: validateQuery,
      lookup: (query) => service.reverse(query, sources),
      status: (item) => item.status,
      stream,
      noun: "address",
      summaryLine: (count) => format === "human" && count > 1,
    });
  } finally {
    service.close();
  }
}

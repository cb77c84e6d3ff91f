/**
 * `netdiag resolve`: names to addresses from getaddrinfo, the hosts file or DNS, in batches.
 * @module
 */
import { validateDnsName } from "../core/dns_name.ts";
import { InputError, quote } from "../core/errors.ts";
import { escapeTerminal } from "../core/terminal_text.ts";
import type { ResolveItem, ResolveMode } from "../core/name_lookup.ts";
import { NameService } from "../net/name_service.ts";
import { diagnostic, openStream } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { resolveView } from "../output/views/lookup_view.ts";
import type { NetdiagContext } from "./context.ts";
import { batchInputs, runBatch } from "./lookup_batch.ts";
import { checkHostsFile, pickSources, splitFamily } from "./lookup_flags.ts";
import type { ResolveFlags } from "./resolve.ts";

/** Runs `netdiag resolve`. */
export default async function resolve(
  this: NetdiagContext,
  flags: ResolveFlags,
  ...args: string[]
): Promise<void> {
  const { names, family } = splitFamily(args, flags);
  if (flags.first && flags.ex) {
    throw new InputError('conflicting flags "--first" and "--ex": choose one');
  }
  const mode: ResolveMode = flags.first ? "first" : flags.ex ? "ex" : "all";
  if (mode !== "all" && family === 6) {
    throw new InputError(`"-6" does not go with "--${mode}": gethostbyname is IPv4 only`);
  }
  if (names.length === 0) {
    throw new InputError("missing name: give one or more names, or - to read them from stdin");
  }
  for (const name of names) if (name !== "-") validateDnsName(name);
  const sources = pickSources(flags);
  await checkHostsFile(flags.hostsFile);
  const format = outputFormat(flags);
  const single = names.length === 1 && names[0] !== "-";
  const stream = openStream(this, format, resolveView(single));
  const service = new NameService({
    hostsPath: flags.hostsFile,
    server: flags.server,
    timeoutMs: flags.timeout,
    family,
  });
  try {
    await runBatch<ResolveItem>(this, {
      inputs: batchInputs(this, names),
      concurrency: flags.concurrency,
      validate: (name) => validateDnsName(name),
      lookup: (name) => service.resolve(name, sources, mode),
      status: (item) => item.status,
      stream,
      show: (item) => {
        // `--first` prints only addresses on stdout, so that `$(netdiag resolve --first x)` is
        // an address or nothing; why a name did not resolve goes to stderr.
        if (format !== "human" || mode !== "first" || item.status === "ok") return true;
        if (item.answers.length !== 1) return true;
        const answer = item.answers[0];
        diagnostic(
          this,
          `netdiag: cannot resolve ${quote(item.name)}: ${escapeTerminal(answer.reason ?? "")}`,
        );
        return false;
      },
      noun: "name",
      summaryLine: (count) => format === "human" && count > 1,
    });
  } finally {
    service.close();
  }
}

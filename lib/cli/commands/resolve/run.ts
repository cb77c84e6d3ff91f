/**
 * `netdiag resolve`: flags → {@link ResolveOptions}, the engine's results → the document stream
 * (lib/output/views/lookup_view.ts), with `--first`'s failures on stderr.
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";
import { escapeTerminal } from "../../../core/terminal_text.ts";
import { diagnostic } from "../../../output/emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { resolveView } from "../../../output/views/lookup_view.ts";
import { resolve, type ResolveResult, validateResolveName } from "../../../resolve/mod.ts";
import type { NetdiagContext } from "../../context.ts";
import { batchInputs, streamBatch } from "../lookup_batch.ts";
import type { ResolveFlags } from "./definition.ts";

/** Runs `netdiag resolve NAME...`. */
export async function resolveCommand(
  this: NetdiagContext,
  flags: ResolveFlags,
  ...names: string[]
): Promise<void> {
  if (names.length === 0) {
    throw new InputError("missing name: give one or more names, or - to read them from stdin");
  }
  for (const name of names) if (name !== "-") validateResolveName(name);
  const format = outputFormat(flags);
  const mode = flags.first ? "first" : flags.ex ? "ex" : "all";
  const single = names.length === 1 && names[0] !== "-";
  // `--first` prints only addresses on stdout, so that `$(netdiag resolve --first x)` is an
  // address or nothing; why a name did not resolve goes to stderr.
  const show = (item: ResolveResult) => {
    if (format !== "human" || mode !== "first" || item.status === "ok") return true;
    if (item.answers.length !== 1) return true;
    const why = escapeTerminal(item.answers[0].reason ?? "");
    diagnostic(this, `netdiag: cannot resolve ${quote(item.name)}: ${why}`);
    return false;
  };
  await streamBatch(this, {
    format,
    quiet: flags.quiet,
    view: resolveView(single),
    noun: "name",
    summaryLine: (s) => format === "human" && s.count + s.invalid > 1,
    show,
  }, (hooks, signal) =>
    resolve(
      undefined,
      {
        names: batchInputs(this, names),
        source: flags.source,
        server: flags.server,
        hostsFile: flags.hostsFile,
        mode,
        family: flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined,
        timeoutMs: flags.timeout,
        concurrency: flags.concurrency,
        keepResults: false,
      },
      hooks,
      signal,
    ));
}

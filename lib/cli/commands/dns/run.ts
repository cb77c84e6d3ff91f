/**
 * `netdiag dns`: flags → {@link DnsBatchOptions} (the queries from the arguments, `-x`, a file
 * or stdin), the engine's exchanges → the document stream (lib/output/views/dns_view.ts).
 * @module
 */
import { reverseName } from "../../../core/dns_name.ts";
import { InputError, quote } from "../../../core/errors.ts";
import { inputLines, textLines } from "../../../core/text_lines.ts";
import { outputFormat } from "../../../output/format.ts";
import { dnsView } from "../../../output/views/dns_view.ts";
import { queryDnsBatch } from "../../../resolve/mod.ts";
import { readErrorReason, readTextFile } from "../../../runtime/read_text.ts";
import type { NetdiagContext } from "../../context.ts";
import { streamBatch } from "../lookup_batch.ts";
import { groupOperands, operandLines } from "./operands.ts";
import type { DnsFlags } from "./definition.ts";

/** The queries to ask: lines `NAME [TYPE...]`, and the types of a line that names none. */
interface QueryInput {
  readonly lines: Iterable<string> | AsyncIterable<string>;
  readonly types: readonly string[];
  /** Whether several names (or `-`) were given, so the summary line is printed. */
  readonly several?: boolean;
}

/**
 * The queries of the command line: `-x ADDR`, `-f FILE`, or `NAME [TYPE...]...` (a NAME `-`
 * reads names from stdin).
 */
async function queryInput(
  context: NetdiagContext,
  flags: DnsFlags,
  args: readonly string[],
): Promise<QueryInput> {
  if (flags.reverse !== undefined) {
    return { lines: [reverseName(flags.reverse)], types: args.length ? args : ["PTR"] };
  }
  if (flags.file === "-") return { lines: inputLines(context.io.stdin()), types: args };
  if (flags.file !== undefined) {
    let text: string;
    try {
      text = await readTextFile(flags.file);
    } catch (error) {
      throw new InputError(`cannot read ${quote(flags.file)}: ${readErrorReason(error)}`);
    }
    return { lines: textLines(text), types: args };
  }
  if (args.length === 0) {
    throw new InputError("missing name: give NAME [TYPE...], -x ADDR or -f FILE");
  }
  const groups = groupOperands(args);
  const several = groups.length > 1 || groups[0].name === "-";
  return { lines: operandLines(context, groups), types: [], several };
}

/** Runs `netdiag dns NAME [TYPE...]`. */
export async function dnsCommand(
  this: NetdiagContext,
  flags: DnsFlags,
  ...args: string[]
): Promise<void> {
  const format = outputFormat(flags);
  const input = await queryInput(this, flags, args);
  const single = flags.file === undefined && !input.several;
  await streamBatch(this, {
    format,
    quiet: flags.quiet,
    view: dnsView,
    noun: "query",
    summaryLine: (s) => format === "human" && !single && s.count + s.invalid > 1,
  }, (hooks, signal) =>
    queryDnsBatch(
      undefined,
      {
        queries: input.lines,
        types: input.types.length ? input.types : undefined,
        server: flags.server,
        transport: flags.tcp ? "tcp" : "udp",
        family: flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined,
        timeoutMs: flags.timeout,
        concurrency: flags.concurrency,
        keepResults: false,
      },
      hooks,
      signal,
    ));
}

/**
 * The batch machinery of the lookup commands' run modules: names from the command line and
 * stdin, validated, looked up with bounded concurrency and printed in input order.
 * @module
 */
import { ExitCode } from "../core/exit_code.ts";
import { NetdiagError } from "../core/errors.ts";
import { type LookupStatus, type LookupSummary, summarise } from "../core/name_lookup.ts";
import { mapOrdered } from "../core/ordered_pool.ts";
import { inputLines } from "../core/text_lines.ts";
import { diagnostic, type ResultStream } from "../output/emit.ts";
import { summaryText } from "../output/views/lookup_view.ts";
import type { NetdiagContext } from "./context.ts";

/**
 * The names to look up, in order: the arguments, with `-` replaced by the lines of stdin (read
 * as they arrive, blank lines and `#` comments skipped).
 */
export async function* batchInputs(
  context: NetdiagContext,
  args: readonly string[],
): AsyncGenerator<string> {
  for (const arg of args) {
    if (arg === "-") yield* inputLines(context.io.stdin());
    else yield arg;
  }
}

/** Options of {@link runBatch}. */
export interface BatchOptions<I> {
  readonly inputs: AsyncIterable<string> | Iterable<string>;
  readonly concurrency: number;
  /** Checks one input (throws an InputError when it is bad) before it is looked up. */
  readonly validate: (input: string) => void;
  readonly lookup: (input: string) => Promise<I>;
  readonly status: (item: I) => LookupStatus;
  readonly stream: ResultStream<I, LookupSummary>;
  /** Print this item's result (false: it was reported another way). */
  readonly show?: (item: I) => boolean;
  /** What one input is called in the summary line ("name", "address", "query"). */
  readonly noun: string;
  /** Whether to print the summary line on stderr (human output of several inputs). */
  readonly summaryLine: (count: number) => boolean;
}

/**
 * Looks every input up and streams the results in input order; bad inputs read from stdin are
 * reported on stderr and skipped (the run then exits 2 unless something failed outright).
 */
export async function runBatch<I>(context: NetdiagContext, options: BatchOptions<I>) {
  const started = performance.now();
  const statuses: LookupStatus[] = [];
  let invalid = 0;
  type Outcome = { item: I } | { error: NetdiagError };
  await mapOrdered<string, Outcome>(options.inputs, {
    concurrency: options.concurrency,
    work: async (input) => {
      try {
        options.validate(input);
      } catch (error) {
        if (error instanceof NetdiagError) return { error };
        throw error;
      }
      return { item: await options.lookup(input) };
    },
    onResult: (outcome) => {
      if ("error" in outcome) {
        invalid++;
        diagnostic(context, `netdiag: ${outcome.error.message}`);
        return;
      }
      statuses.push(options.status(outcome.item));
      if (options.show?.(outcome.item) ?? true) options.stream.item(outcome.item);
    },
  });
  const summary = summarise(statuses, Math.round((performance.now() - started) * 1000) / 1000);
  const code = options.stream.end(summary);
  if (options.summaryLine(summary.count + invalid)) {
    diagnostic(context, summaryText(summary, options.noun));
  }
  if (invalid > 0 && code !== ExitCode.Failure) context.process.exitCode = ExitCode.Usage;
}

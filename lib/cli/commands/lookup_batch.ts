/**
 * The wiring the lookup commands share when they run: names from the command line and stdin,
 * the engine's hooks to the document stream (results on stdout as they come, invalid inputs on
 * stderr), SIGINT/SIGTERM to the engine's AbortSignal, and the summary line on stderr.
 * @module
 */
import { inputLines } from "../../core/text_lines.ts";
import { openDocumentStream } from "../../output/document_emit.ts";
import { diagnostic } from "../../output/emit.ts";
import type { OutputFormat } from "../../output/format.ts";
import type { DocumentStreamView } from "../../output/document_emit.ts";
import { summaryText } from "../../output/views/lookup_view.ts";
import type { LookupBatch, LookupHooks, LookupSummary } from "../../resolve/mod.ts";
import { interruptible } from "../interrupt.ts";
import type { NetdiagContext } from "../context.ts";

/**
 * The inputs to look up, in order: the arguments, with `-` replaced by the lines of stdin (read
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

/** How one lookup command shows its batch. */
export interface BatchOutput<R> {
  readonly format: OutputFormat;
  readonly view: DocumentStreamView<R, LookupSummary>;
  /** What one input is called in the stderr summary line (`name`, `address`, `query`). */
  readonly noun: string;
  /** Whether to print the summary line on stderr (human output of several inputs). */
  readonly summaryLine: (summary: LookupSummary) => boolean;
  /** Whether to show a result (false: it was reported another way); default all. */
  readonly show?: (result: R) => boolean;
  /** `--quiet`: human output shows no result lines, only the summary line; default false. */
  readonly quiet?: boolean;
}

/**
 * Runs an engine's batch with hooks that stream its results, then ends the document with its
 * summary (interrupted and exit 130 after SIGINT/SIGTERM).
 */
export async function streamBatch<R>(
  context: NetdiagContext,
  output: BatchOutput<R>,
  run: (hooks: LookupHooks<R>, signal: AbortSignal) => Promise<LookupBatch<R>>,
): Promise<void> {
  const stream = openDocumentStream(context, output.format, output.view);
  const controller = interruptible(context.io);
  let batch: LookupBatch<R>;
  try {
    batch = await run({
      onResult: (result) => {
        if (output.quiet && output.format === "human") return;
        if (output.show?.(result) ?? true) stream.item(result);
      },
      onInvalid: (_input, message) => diagnostic(context, `netdiag: ${message}`),
    }, controller.signal);
  } finally {
    controller.remove();
  }
  stream.end(batch.summary, batch.interrupted);
  if (output.summaryLine(batch.summary)) {
    diagnostic(context, summaryText(batch.summary, output.noun));
  }
}

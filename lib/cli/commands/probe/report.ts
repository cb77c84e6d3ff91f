/**
 * The report of `netdiag probe`: the run's results and summary through the document stream (or
 * only the exit code with `--quiet`).
 * @module
 */
import { INTERRUPTED_EXIT_CODE, openDocumentStream } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { probeView } from "../../../output/views/probe_view.ts";
import {
  type OrderedProbeRun,
  probeExitCode,
  type ProbeState,
  type ProbeSummary,
} from "../../../probe/mod.ts";
import type { NetdiagContext } from "../../context.ts";
import type { ProbeFlags } from "./flags.ts";
import { bufferedStdout } from "../../../output/terminal.ts";

/** What {@link report} needs besides the run. */
export interface ReportOptions {
  /** The program after `--` (empty: none). */
  readonly program: readonly string[];
  /** Whether the targets are a scan (the human table then shows open ports only). */
  readonly scan: boolean;
  /** The signal that interrupts the run (SIGINT, SIGTERM). */
  readonly signal: AbortSignal;
}

/**
 * Writes the run's results and summary (`--ndjson`: each result as it becomes final; `--json`
 * and the human table: in plan order at the end; `--quiet`: nothing) and sets the exit code.
 */
export async function report(
  context: NetdiagContext,
  flags: ProbeFlags,
  run: OrderedProbeRun,
  { program, scan, signal }: ReportOptions,
): Promise<ProbeSummary> {
  if (flags.quiet) {
    const summary = await run.summary;
    context.process.exitCode = signal.aborted ? INTERRUPTED_EXIT_CODE : probeExitCode(summary);
    return summary;
  }
  const format = outputFormat(flags);
  const out = bufferedStdout(context);
  // --open: only open results are printed (the summary still counts every one); the human table
  // of a scan shows only open ones unless --all. Results are built only when they are printed.
  const openOnly = flags.open === true || (format === "human" && scan && flags.all !== true);
  const kept = (state: ProbeState) => !openOnly || state === "open";
  const stream = openDocumentStream(
    out,
    format,
    probeView({
      scan,
      showAll: flags.all === true,
      openOnly: flags.open === true,
      results: () => [...run.inPlanOrder(kept)],
    }),
  );
  try {
    if (format === "ndjson") {
      for await (const result of run) if (kept(result.state)) stream.item(result);
    }
    const summary = await run.summary;
    if (format === "json") { for (const result of run.inPlanOrder(kept)) stream.item(result); }
    stream.end({ ...summary, program: program.length > 0 ? [...program] : null }, signal.aborted);
    return summary;
  } finally {
    out.flush();
  }
}

/**
 * `netdiag probe`: flags → the engine's options, its progress → the terminal, its results → the
 * document stream, then the `-- command` when the condition was met.
 * @module
 */
import { InputError } from "../../../core/errors.ts";
import { type NetAdapter, netAdapter } from "../../../net/mod.ts";
import { progressText } from "../../../output/views/probe_view.ts";
import {
  isScan,
  type OrderedProbeRun,
  probe,
  type ProbeOptions,
  type ProbeSummary,
  waitUntilOpen,
} from "../../../probe/mod.ts";
import { interruptible } from "../../interrupt.ts";
import type { NetdiagContext } from "../../context.ts";
import { loadServices } from "../../netdb_source.ts";
import type { ProbeFlags } from "./flags.ts";
import { runAfter, splitOperands } from "./program.ts";
import { report } from "./report.ts";
import { suspendStackTraces } from "./stack_traces.ts";
import { type ProgressLine, progressLine } from "../../../output/terminal.ts";

/** Plans of at least this many endpoints show progress on a terminal (waits always do). */
const PROGRESS_MIN_PROBES = 2000;

/** Runs `netdiag probe TARGET... [-- COMMAND...]`. */
export async function probeCommand(
  this: NetdiagContext,
  flags: ProbeFlags,
  ...operands: string[]
): Promise<void> {
  const { targets, program } = splitOperands(operands, this.escapedArgs);
  if (targets.length === 0) {
    throw new InputError(
      'no target to probe before "--": give "host:port", "unix:/path" or a host with -p, ' +
        'then "--" and the command',
    );
  }
  if (flags.payload && !flags.udp) {
    throw new InputError('"--payload" needs "--udp": TCP probes only connect');
  }
  const options = { ...engineOptions(flags, targets), services: await loadServices() };
  const adapter = await netAdapter();
  const stop = interruptible(this.io);
  const restoreStacks = suspendStackTraces(this.debug);
  let progress: ProgressLine | undefined;
  const stopProgress = () => {
    progress?.stop();
    progress = undefined;
  };
  let summary: ProbeSummary;
  try {
    const run = startRun(this, adapter, flags, options, stop.signal, (line) => progress = line);
    // Cleared as soon as the run ends, before the report is written.
    run.summary.then(stopProgress, stopProgress);
    summary = await report(this, flags, run, {
      program,
      scan: isScan(targets, flags.ports),
      signal: stop.signal,
    });
  } finally {
    restoreStacks();
    stopProgress();
    stop.remove();
  }
  if (program.length > 0 && !stop.signal.aborted) {
    await runAfter(this, program, summary.met, flags.quiet === true);
  }
}

/** The engine's options from the flags (the services table aside). */
function engineOptions(flags: ProbeFlags, targets: readonly string[]): ProbeOptions {
  return {
    targets,
    ports: flags.ports,
    protocol: flags.udp ? "udp" : "tcp",
    family: flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined,
    payload: flags.payload,
    timeoutMs: flags.timeout,
    retries: flags.retries,
    rate: flags.rate,
    concurrency: flags.concurrency,
    threads: flags.threads,
    expect: flags.until,
    match: flags.any ? "any" : "all",
  };
}

/**
 * Starts the run (a wait with `--wait`) and its progress line on a terminal: for a wait at
 * once, for a one-shot run once its plan turns out large.
 */
function startRun(
  context: NetdiagContext,
  adapter: NetAdapter,
  flags: ProbeFlags,
  options: ProbeOptions,
  signal: AbortSignal,
  showing: (line: ProgressLine) => void,
): OrderedProbeRun {
  const terminal = !flags.quiet && context.io.isTerminal("stderr");
  const show = (run: () => OrderedProbeRun) =>
    showing(progressLine(context, () => progressText(run().progress(), flags.until)));
  if (flags.wait === undefined) {
    const run: OrderedProbeRun = probe(adapter, options, {
      onPlan: (plan) => {
        if (terminal && plan.planned >= PROGRESS_MIN_PROBES) show(() => run);
      },
    }, signal);
    return run;
  }
  const wait = { ...options, waitMs: flags.wait, intervalMs: flags.interval };
  const run = waitUntilOpen(adapter, wait, signal);
  if (terminal) show(() => run);
  return run;
}

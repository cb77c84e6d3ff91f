/**
 * A probe run as its caller sees it ({@link ProbeRun}): an async iterable of results as they
 * become final, the summary once it ends, and a progress snapshot at any time. All of a run's
 * state lives in its {@link RunState}; nothing is shared between runs.
 * @module
 */
import {
  conditionMet,
  type ProbeProgress,
  type ProbeResult,
  type ProbeState,
  type ProbeSummary,
  type WaitSummary,
} from "../core/probe_result.ts";
import type { ProbeTask } from "./plan.ts";
import { ResultStore, type StorePlan } from "./result_store.ts";

/** A finished run: the summary and every result in plan order. */
export interface ProbeOutcome {
  /** Counts by state, timings and how the run was set up. */
  readonly summary: ProbeSummary;
  /** One result per endpoint, in plan order. */
  readonly results: readonly ProbeResult[];
}

/**
 * A running probe. Iterating it (`for await`) yields each endpoint's result once, as soon as it
 * is final: in a one-shot run (`probe`) in completion order; in a wait (`waitUntilOpen`) each
 * endpoint when it reaches the expected state, then the others' last results in plan order when
 * the wait ends. Iteration ends with the run and throws its error if it failed; every iterator
 * sees every result, from the first. An aborted run ends with the results found so far.
 */
export interface ProbeRun extends AsyncIterable<ProbeResult> {
  /** The summary once the run has ended; rejects with its error (bad input, a name that cannot be resolved). */
  readonly summary: Promise<ProbeSummary>;
  /** The summary and every result in plan order, once the run has ended. */
  result(): Promise<ProbeOutcome>;
  /** A snapshot of how far the run is. */
  progress(): ProbeProgress;
}

/** A {@link ProbeRun} that also reads its results in plan order without building them all. */
export interface OrderedProbeRun extends ProbeRun {
  /**
   * Once the run has ended (after `summary` settles): its results in plan order, each built as
   * it is reached (a scan keeps its results packed), optionally only those whose state `keep`s.
   */
  inPlanOrder(keep?: (state: ProbeState) => boolean): Iterable<ProbeResult>;
}

/** The settings a summary repeats (a wait's `waitedMs` is the run's elapsed time). */
export type SummaryBase =
  & Omit<ProbeSummary, "met" | "planned" | "probes" | "counts" | "elapsedMs" | "wait">
  & { readonly wait: Omit<WaitSummary, "waitedMs"> | null };

/** The mutable state of one run. */
export class RunState {
  readonly startedAt: number = performance.now();
  /** The latest result of every endpoint probed. */
  #store = new ResultStore(0);
  /** The plan indexes of the final results, in the order they became final. */
  readonly #finals: number[] = [];
  readonly #wake: (() => void)[] = [];
  readonly satisfied: Set<number> = new Set();
  #planned = 0;
  #deadline: number | null = null;
  #done = 0;
  #round = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;

  /** The plan is made: its size, and a wait's deadline (`performance.now()` time). */
  plan(planned: number, deadline: number | null = null): void {
    this.#planned = planned;
    this.#deadline = deadline;
    this.#store = new ResultStore(planned);
  }

  /** What results are rebuilt from (the plan with its names resolved); again when it changes. */
  describe(plan: StorePlan): void {
    this.#store.plan = plan;
  }

  /** A round begins. */
  nextRound(): void {
    this.#round++;
    this.#done = 0;
  }

  get round(): number {
    return this.#round;
  }

  /**
   * Records an endpoint's latest result; `satisfied` says it meets the expectation, `task` (the
   * endpoint's) lets the result be kept packed.
   */
  record(index: number, result: ProbeResult, satisfied: boolean, task?: ProbeTask): void {
    this.#done++;
    this.#store.set(index, result, task);
    if (satisfied) this.satisfied.add(index);
  }

  /** Records an endpoint's latest result, packed (see packed_result.ts). */
  recordPacked(index: number, word: number, latency: number, satisfied: boolean): void {
    this.#done++;
    this.#store.setPacked(index, word, latency);
    if (satisfied) this.satisfied.add(index);
  }

  /** Hands an endpoint's recorded result to the iterators: it is its final one. */
  finalize(index: number): void {
    this.#finals.push(index);
    this.#notify();
  }

  /** The recorded result of an endpoint. */
  resultOf(index: number): ProbeResult | undefined {
    return this.#store.get(index);
  }

  /** Every recorded result in plan order. */
  ordered(): ProbeResult[] {
    return [...this.inPlanOrder()];
  }

  /** The recorded results in plan order, built one at a time, optionally only some states. */
  *inPlanOrder(keep?: (state: ProbeState) => boolean): Generator<ProbeResult> {
    for (const index of this.#store.indexes(keep)) yield this.#store.get(index)!;
  }

  /** The plan indexes of the recorded results that are not final yet, in plan order. */
  unsettled(): number[] {
    return [...this.#store.indexes()].filter((i) => !this.satisfied.has(i));
  }

  /** The summary of the results so far. */
  summary(base: SummaryBase): ProbeSummary {
    const elapsedMs = Math.round((performance.now() - this.startedAt) * 1000) / 1000;
    const met = conditionMet(this.#store.countOf(base.expect), this.#planned, base.match);
    return {
      targets: base.targets,
      protocol: base.protocol,
      expect: base.expect,
      match: base.match,
      met,
      planned: this.#planned,
      probes: this.#store.size,
      counts: this.#store.counts(),
      elapsedMs,
      concurrency: base.concurrency,
      threads: base.threads,
      timeoutMs: base.timeoutMs,
      retries: base.retries,
      rate: base.rate,
      wait: base.wait && { ...base.wait, waitedMs: elapsedMs },
    };
  }

  progress(): ProbeProgress {
    return {
      planned: this.#planned,
      done: this.#done,
      satisfied: this.satisfied.size,
      round: this.#round,
      remainingMs: this.#deadline === null
        ? null
        : Math.max(0, Math.round(this.#deadline - performance.now())),
    };
  }

  /** Ends the run, with its error if it failed. */
  end(failure?: { error: unknown }): void {
    this.#ended = true;
    this.#failure = failure;
    this.#notify();
  }

  #notify(): void {
    if (this.#wake.length === 0) return;
    for (const wake of this.#wake.splice(0)) wake();
  }

  /** An iterator over the final results, from the first. */
  async *finals(): AsyncGenerator<ProbeResult> {
    let next = 0;
    for (;;) {
      while (next < this.#finals.length) yield this.#store.get(this.#finals[next++])!;
      if (this.#ended) {
        if (this.#failure) throw this.#failure.error;
        return;
      }
      await new Promise<void>((resolve) => this.#wake.push(resolve));
    }
  }
}

/** Starts `work` on a fresh {@link RunState} and returns the run its caller holds. */
export function startRun(work: (state: RunState) => Promise<ProbeSummary>): OrderedProbeRun {
  const state = new RunState();
  const summary = work(state).then(
    (s) => {
      state.end();
      return s;
    },
    (error) => {
      state.end({ error });
      throw error;
    },
  );
  // The caller may only iterate; its failure then reaches the iterator, not an unhandled promise.
  summary.catch(() => {});
  return {
    summary,
    result: () => summary.then((s) => ({ summary: s, results: state.ordered() })),
    inPlanOrder: (keep) => state.inPlanOrder(keep),
    progress: () => state.progress(),
    [Symbol.asyncIterator]: () => state.finals(),
  };
}

/** Waits `ms` milliseconds, or less when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

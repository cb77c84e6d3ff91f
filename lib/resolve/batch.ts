/**
 * The batch machinery of the lookup engines: inputs (an array, or a stream such as the lines of
 * stdin) looked up with bounded concurrency, each result handed on in input order as soon as it
 * and every one before it are done, invalid inputs counted and skipped, and a summary at the
 * end. An abort stops reading inputs and ends the lookups in flight; the batch then reports
 * what it had delivered, marked interrupted.
 * @module
 */
import { NetdiagError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import { type LookupStatus, type LookupSummary, summarise } from "../core/name_lookup.ts";
import { mapOrdered } from "../core/ordered_pool.ts";
import { elapsed } from "./name_service.ts";

/** Callbacks of a batch of lookups. */
export interface LookupHooks<R> {
  /** Each result, in input order, as soon as it and every one before it are done. */
  onResult?(result: R): void;
  /**
   * An input that is not valid (a malformed name, address or query line): it is skipped and
   * counted in the summary's `invalid`. `message` says what is wrong, naming the value.
   */
  onInvalid?(input: string, message: string): void;
}

/** What a batch of lookups ends with. */
export interface LookupBatch<R> {
  /** The results in input order (empty when the options asked not to keep them). */
  readonly results: readonly R[];
  /** The counts and the time the batch took. */
  readonly summary: LookupSummary;
  /** Whether the signal aborted the batch before every input was looked up. */
  readonly interrupted: boolean;
}

/** One batch to run. */
export interface BatchPlan<T, R> {
  readonly inputs: Iterable<T> | AsyncIterable<T>;
  /** Lookups in flight at once; at least 1. */
  readonly concurrency: number;
  /** Keep every result for {@link LookupBatch.results}. */
  readonly keepResults: boolean;
  /** Looks one input up; rejects with an InputError (exit code 2) when the input is invalid. */
  readonly lookup: (input: T, signal: AbortSignal) => Promise<R>;
  /** The status a result counts as. */
  readonly status: (result: R) => LookupStatus;
  /** The input as text, for {@link LookupHooks.onInvalid}. */
  readonly text: (input: T) => string;
}

/**
 * Yields `inputs` until `signal` aborts (a pending read, of a terminal say, is left behind). One
 * abort listener serves the whole stream: each read waits on its own promise, which the listener
 * settles, so that nothing piles up per input (a race against one shared abort promise would
 * leave a reaction on it for every input read).
 */
function untilAborted<T>(
  inputs: Iterable<T> | AsyncIterable<T>,
  signal: AbortSignal,
): Iterable<T> | AsyncIterable<T> {
  if (Symbol.iterator in inputs) {
    // Lines read whole: no promise per input.
    return (function* () {
      for (const input of inputs) {
        if (signal.aborted) return;
        yield input;
      }
    })();
  }
  return untilAbortedAsync(inputs, signal);
}

async function* untilAbortedAsync<T>(
  inputs: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const iterator = inputs[Symbol.asyncIterator]();
  let wake: ((aborted: "aborted") => void) | undefined;
  const onAbort = () => wake?.("aborted");
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (!signal.aborted) {
      const next = await new Promise<IteratorResult<T> | "aborted">((resolve, reject) => {
        wake = resolve;
        iterator.next().then(resolve, reject);
      });
      wake = undefined;
      if (next === "aborted" || next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    // Not awaited: a read that never ends (a terminal, a pipe) must not hold the batch.
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

type Outcome<R> = { readonly result: R } | { readonly invalid: string; readonly message: string };

/** Runs a batch of lookups; rejects only on an unexpected error. */
export async function runLookups<T, R>(
  plan: BatchPlan<T, R>,
  hooks: LookupHooks<R> = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<LookupBatch<R>> {
  const started = performance.now();
  const statuses: LookupStatus[] = [];
  const results: R[] = [];
  let invalid = 0;
  await mapOrdered<T, Outcome<R>>(untilAborted(plan.inputs, signal), {
    concurrency: plan.concurrency,
    work: async (input) => {
      try {
        return { result: await plan.lookup(input, signal) };
      } catch (error) {
        if (error instanceof NetdiagError && error.exitCode === ExitCode.Usage) {
          return { invalid: plan.text(input), message: error.message };
        }
        throw error;
      }
    },
    onResult: (outcome) => {
      if (signal.aborted) return; // cut short: not an answer
      if ("invalid" in outcome) {
        invalid++;
        hooks.onInvalid?.(outcome.invalid, outcome.message);
        return;
      }
      statuses.push(plan.status(outcome.result));
      if (plan.keepResults) results.push(outcome.result);
      hooks.onResult?.(outcome.result);
    },
  });
  return {
    results,
    summary: summarise(statuses, invalid, elapsed(started)),
    interrupted: signal.aborted,
  };
}

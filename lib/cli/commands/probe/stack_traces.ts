/**
 * A refused probe is an answer, not a failure, yet Deno builds an error, with its stack, for
 * each refused connect: capturing tens of thousands of stacks costs a scan under `deno run` a
 * tenth to a quarter of its time (40,000-port loopback scans, one thread). The command (not the
 * engine: this is the main thread's state) turns stack capture off while it probes, unless
 * `--debug`. The engine's own probe threads (lib/probe/worker.ts) capture none at all.
 * @module
 */

/** Turns stack capture off (unless `debug`); returns the function that restores it. */
export function suspendStackTraces(debug: boolean): () => void {
  if (debug) return () => {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}

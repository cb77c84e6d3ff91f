/**
 * Fuzz test of the CLI's argument handling (issue 11): random command lines over every route
 * (nested `echo serve` / `echo test` and the hidden `__complete` included), names only
 * `Object.prototype` has, every flag of the command, unknown and inherited flags, and values
 * from numbers to huge numbers, empty text, Unicode, control characters, escape sequences, C1
 * characters and bidi overrides. Every run must exit 0-3, print no stack trace or runtime crash
 * report and write no raw control character (C0 but newline and tab, DEL, C1, bidi) to stderr
 * or stdout.
 *
 * Harmless by construction: commands that open sockets, start servers, read stdin or wait on the
 * network (everything but the pure lookups and conversions) get a stopper, `--timeout=never`
 * (or `--idle-timeout=never`), placed before any `--`. Its value fails to parse, and Stricli
 * parses every flag and operand before it loads a command, so the whole command line is still
 * scanned and parsed — every parser sees its fuzzed value — but the command never runs; such a
 * run must exit 0 (help, version) or 2. The pure commands run for real.
 *
 * Bounds: most runs are in-process through `runCli` with an in-memory Io (fast); a smaller
 * sample of the same generator is spawned against each target. The seed is fixed (set
 * NETDIAG_FUZZ_SEED to try another) and printed with any failure, by fast-check for the
 * in-process runs and in the assertion message for the spawned ones.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { runCli } from "../../lib/cli/run.ts";
import { escapeTerminal, quoteForTerminal } from "../../lib/core/terminal_text.ts";
import { runNetdiag, type Target, targets } from "../support/cli.ts";
import { COMMAND_LINE, isStopped } from "../support/command_lines.ts";
import { memoryIo } from "../support/memory_io.ts";
import { crashSign, rawControl } from "../support/output_checks.ts";

// deno-lint-ignore no-process-global
const SEED = Number(globalThis.process?.env?.NETDIAG_FUZZ_SEED ?? 11_2026);
const IN_PROCESS_RUNS = 20_000;
const SPAWNED_RUNS = 60;
const RUN_LIMIT_MS = 10_000;

/** The checks every run must pass; `label` says which run failed. */
function check(args: readonly string[], code: number | null, out: string, err: string): void {
  const label = `seed ${SEED}, args [${args.map(quoteForTerminal).join(", ")}]:\n` +
    escapeTerminal(err);
  assert.ok(code !== null && [0, 1, 2, 3].includes(code), `exit ${code}; ${label}`);
  if (isStopped(args)) assert.ok(code === 0 || code === 2, `exit ${code}; ${label}`);
  assert.equal(crashSign(err), undefined, label);
  assert.equal(rawControl(err), undefined, `stderr: ${label}`);
  assert.equal(
    rawControl(out),
    undefined,
    `stdout: ${label}\n${escapeTerminal(out.slice(0, 500))}`,
  );
}

async function runInProcess(args: readonly string[]) {
  const io = memoryIo();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    const what = args.map(quoteForTerminal).join(" ");
    timer = setTimeout(() => reject(new Error(`hung: ${what}`)), RUN_LIMIT_MS);
  });
  try {
    const code = await Promise.race([runCli(args, io), limit]);
    return { code, out: io.out, err: io.err };
  } finally {
    clearTimeout(timer);
  }
}

test(`in-process: ${IN_PROCESS_RUNS} fuzzed command lines exit 0-3 without a crash or raw control`, async () => {
  await fc.assert(
    fc.asyncProperty(COMMAND_LINE, async (args) => {
      const r = await runInProcess(args);
      check(args, r.code, r.out, r.err);
    }),
    { numRuns: IN_PROCESS_RUNS, seed: SEED },
  );
});

/** `args` as argv can carry them: no NUL byte, no lone surrogate. */
function spawnable(args: readonly string[]): string[] {
  return args.map((a) => a.replaceAll("\0", "?").toWellFormed());
}

async function runSpawned(target: Target, samples: readonly string[][]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < samples.length) {
      const args = samples[next++];
      const r = await runNetdiag(target, args, { timeoutMs: 20_000 });
      check(args, r.code, r.stdout, r.stderr);
    }
  };
  await Promise.all([worker(), worker()]);
}

for (const target of targets()) {
  test(`[${target}] ${SPAWNED_RUNS} fuzzed command lines exit 0-3 without a crash or raw control`, async () => {
    const samples = fc.sample(COMMAND_LINE, { numRuns: SPAWNED_RUNS, seed: SEED }).map(spawnable);
    await runSpawned(target, samples);
  });
}

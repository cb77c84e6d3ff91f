/**
 * `netdiag probe`: plans the endpoints, probes them through a sliding window, and reports (once,
 * or round after round with `--wait`), then runs the `-- command` on success.
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { clampToFdLimit } from "../core/fd_limit.ts";
import { describeSource } from "../core/netdb.ts";
import { hasPortRange, type PortRange, resolvePortList } from "../core/port_list.ts";
import {
  countPlan,
  isScanPlan,
  type PlannedTarget,
  planProbes,
  type ProbeTask,
  shardProbes,
} from "../core/probe_plan.ts";
import {
  conditionMet,
  countState,
  emptyCounts,
  type Expectation,
  meetsExpectation,
  probeExitCode,
  type ProbeResult,
  type ProbeSummary,
} from "../core/probe_result.ts";
import { parseProbeTarget, type ProbeTarget } from "../core/probe_target.ts";
import { createRateLimiter } from "../core/rate_limiter.ts";
import type { ServiceEntry } from "../core/services.ts";
import { runSlidingWindow, sleep, type WindowControl } from "../core/sliding_window.ts";
import { diagnostic, styleFor, toJson, toNdjsonLine } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { probeView } from "../output/views/probe_view.ts";
import { lookupHost } from "../net/host_lookup.ts";
import { type NetAdapter, netAdapter } from "../net/mod.ts";
import { openFileLimit } from "../runtime/fd_limit.ts";
import { runProgram } from "../runtime/run_program.ts";
import type { NetdiagContext } from "./context.ts";
import { loadServices } from "./netdb_source.ts";
import { type AttemptOptions, probeEndpoint } from "./probe_attempt.ts";
import type { ProbeFlags } from "./probe.ts";
import {
  cpuCount,
  MAX_DEFAULT_THREADS,
  type ShardJob,
  startProbeThreads,
} from "./probe_threads.ts";

/**
 * The default window per thread and adapter, chosen by measurement (full loopback scans, see
 * scripts/bench_scan): on loopback every window from 64 up performs the same within noise, so
 * the defaults favour remote networks, where round trips make a wide window pay: 256 for Bun and
 * Deno's ceiling of 128 (see {@link MAX_CONCURRENCY}). A scan over several threads has the sum.
 */
export const DEFAULT_CONCURRENCY: Record<NetAdapter["name"], number> = {
  deno: 128,
  bun: 256,
  node: 256,
};

/**
 * The widest window per thread and adapter. Deno 2.x (measured with 2.9.6) leaves connects beyond
 * about 128 in flight on one event loop unanswered until the rest are done, which turns refused
 * ports into false `filtered` results at the timeout; each Deno thread's window is therefore
 * capped at 128.
 */
export const MAX_CONCURRENCY: Record<NetAdapter["name"], number> = {
  deno: 128,
  bun: 65_536,
  node: 65_536,
};

/**
 * By default a scan is split over threads only if each gets at least this many probes (a
 * thread's start costs ~0.1 s under Deno, the time of a few thousand loopback probes).
 */
const MIN_PROBES_PER_THREAD = 4096;

/** Descriptors a probe thread uses besides its sockets (measured: Deno 6, Bun 2). */
const THREAD_DESCRIPTORS = 8;

/** Descriptors assumed free for a plan too small to ask for the open-file limit (≤ 16 probes). */
const SMALL_PLAN_ROOM = 256;

/** Plans of at least this many endpoints show progress on a terminal. */
const PROGRESS_MIN_PROBES = 2000;
const PROGRESS_EVERY_MS = 250;

/** Splits the positionals into targets and the command after `--`. */
function splitOperands(operands: readonly string[], escaped: readonly string[]) {
  const n = escaped.length;
  const tail = operands.slice(operands.length - n);
  const matches = n > 0 && n <= operands.length && tail.every((a, i) => a === escaped[i]);
  return matches
    ? { targets: operands.slice(0, operands.length - n), command: [...escaped] }
    : { targets: [...operands], command: [] as string[] };
}

/** Builds name→port and port→name lookups for one protocol, first entry in file order wins. */
function serviceMaps(entries: readonly ServiceEntry[], proto: string) {
  const byName = new Map<string, number>();
  const byPort = new Map<number, string>();
  for (const e of entries) {
    if (e.proto !== proto) continue;
    for (const name of [e.name, ...e.aliases]) if (!byName.has(name)) byName.set(name, e.port);
    if (!byPort.has(e.port)) byPort.set(e.port, e.name);
  }
  return { byName, byPort };
}

/** Resolves every target's ports; unix targets have none. */
function resolvePorts(
  targets: readonly ProbeTarget[],
  flags: ProbeFlags,
  byName: Map<string, number>,
  where: string,
): { target: ProbeTarget; ports: PortRange[] | null; scan: boolean }[] {
  return targets.map((target) => {
    if (target.kind === "unix") return { target, ports: null, scan: false };
    const tokens = target.ports ?? flags.ports;
    if (!tokens) {
      throw new InputError(
        `no port for target ${quote(target.text)}: write it as "host:port" or give -p PORTS`,
      );
    }
    const ports = resolvePortList(tokens, (name) => byName.get(name), where);
    return { target, ports, scan: target.kind === "block" || hasPortRange(tokens) };
  });
}

/** A progress line on stderr, redrawn in place; only used when stderr is a terminal. */
function progressLine(context: NetdiagContext, render: () => string) {
  const draw = () => context.io.write("stderr", `\r\x1b[K${render()}`);
  const timer = setInterval(draw, PROGRESS_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      context.io.write("stderr", "\r\x1b[K");
    },
  };
}

/** Buffers NDJSON lines and writes them in chunks (a line per result, without a syscall each). */
function ndjsonWriter(context: NetdiagContext) {
  let buffer = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (buffer) context.io.write("stdout", buffer);
    buffer = "";
  };
  return {
    line(value: unknown) {
      buffer += toNdjsonLine(value);
      if (buffer.length >= 65536) flush();
      else timer ??= setTimeout(flush, 50);
    },
    flush,
  };
}

/** Runs `netdiag probe`. */
export default async function probe(
  this: NetdiagContext,
  flags: ProbeFlags,
  ...operands: string[]
): Promise<void> {
  const format = outputFormat(flags);
  const { targets: texts, command } = splitOperands(operands, this.escapedArgs ?? []);
  if (texts.length === 0) {
    throw new InputError(
      'no target to probe before "--": give "host:port", "unix:/path" or a host with -p, ' +
        'then "--" and the command',
    );
  }
  const protocol = flags.udp ? "udp" : "tcp";
  if (flags.payload && !flags.udp) {
    throw new InputError('"--payload" needs "--udp": TCP probes only connect');
  }
  const targets = texts.map(parseProbeTarget);
  const unix = targets.find((t) => t.kind === "unix");
  if (protocol === "udp" && unix) {
    throw new InputError(`cannot probe ${quote(unix.text)} with --udp: Unix targets are streams`);
  }
  const services = await loadServices();
  const { byName, byPort } = serviceMaps(services.entries, protocol);
  const withPorts = resolvePorts(
    targets,
    flags,
    byName,
    describeSource(services.source, "services"),
  );

  const waiting = flags.wait !== undefined;
  const started = performance.now();
  const deadline = waiting ? started + flags.wait! : Infinity;
  const cache = new Map<string, string[]>();
  const resolve = async (): Promise<PlannedTarget[]> => {
    const out: PlannedTarget[] = [];
    for (const p of withPorts) {
      if (p.target.kind !== "host") {
        out.push(p);
        continue;
      }
      const host = p.target.host;
      let addresses = cache.get(host);
      if (!addresses) {
        try {
          const left = deadline - performance.now();
          const found = await lookupHost(host, { timeoutMs: Math.max(1, Math.min(5000, left)) });
          addresses = found.map((a) => a.address);
          cache.set(host, addresses);
        } catch (error) {
          if (!waiting) throw error; // exit 3: cannot resolve
          addresses = []; // retried next round; reported as ENOTFOUND at the deadline
        }
      }
      out.push({ ...p, addresses });
    }
    return out;
  };

  let planned = await resolve();
  const total = countPlan(planned);
  const scan = isScanPlan(planned);
  const adapter = await netAdapter();
  // Large TCP scans are split over threads (see probe_threads.ts); --wait and --rate runs and
  // UDP stay in this thread, and by default so do plans too small to repay a thread's start.
  const threads = protocol === "tcp" && !waiting && !flags.rate
    ? Math.max(
      1,
      flags.threads
        ? Math.min(flags.threads, total)
        : Math.min(cpuCount(), MAX_DEFAULT_THREADS, Math.floor(total / MIN_PROBES_PER_THREAD)),
    )
    : 1;
  const wanted = Math.min(
    flags.concurrency ?? DEFAULT_CONCURRENCY[adapter.name] * threads,
    MAX_CONCURRENCY[adapter.name] * threads,
    Math.max(1, total),
  );
  // Descriptors free for probe sockets (each extra thread needs a few of its own); small plans
  // never come near the open-file limit, so they skip asking for it. Keep to it: Bun (1.4)
  // reports a connect that failed for want of a descriptor as ECONNREFUSED, a false "closed".
  const room = wanted <= 16 ? SMALL_PLAN_ROOM : clampToFdLimit(
    Number.MAX_SAFE_INTEGER,
    (await openFileLimit()) - THREAD_DESCRIPTORS * (threads - 1),
  );
  // Where a timed-out probe's socket may outlive its answer (Bun), half the room at most goes to
  // the window and the rest is the budget for such sockets (ProbeConnectOptions.lingerLimit).
  const window = Math.min(
    wanted,
    adapter.probeSocketsLinger ? Math.max(1, Math.floor(room / 2)) : room,
  );
  const lingerLimit = adapter.probeSocketsLinger ? room - window : 0;
  // Each thread gets its share of the window and of the lingering sockets' budget.
  const shards = Math.min(threads, window);
  const shardWindow = Math.floor(window / shards);
  const shardLinger = Math.floor(lingerLimit / shards);
  const limiter = flags.rate ? createRateLimiter(flags.rate) : undefined;
  const expect: Expectation = flags.until;
  const match = flags.any ? "any" : "all";
  const attempt: AttemptOptions = {
    protocol,
    timeoutMs: flags.timeout,
    lingerLimit: shardLinger,
    retries: flags.retries,
    payload: flags.payload ?? new Uint8Array(0),
    serviceOf: (port) => byPort.get(port) ?? null,
    ...(waiting ? { remainingMs: () => deadline - performance.now() } : {}),
  };

  const results: ProbeResult[] = new Array(total);
  const satisfied = new Set<number>();
  const ndjson = format === "ndjson" && !flags.quiet ? ndjsonWriter(this) : undefined;
  let done = 0;
  let rounds = 0;
  const showProgress = !flags.quiet && this.io.isTerminal("stderr") &&
    (waiting || total >= PROGRESS_MIN_PROBES);
  const progress = showProgress
    ? progressLine(this, () => {
      if (!waiting) {
        const pct = Math.floor((done / total) * 100);
        return `probing ${done}/${total} (${pct}%), ${satisfied.size} ${expect}`;
      }
      const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
      return `waiting: round ${rounds}, ${satisfied.size}/${total} ${expect}, ${left}s left`;
    })
    : undefined;

  const record = (result: ProbeResult, index: number) => {
    done++;
    results[index] = result;
    if (meetsExpectation(result, expect)) {
      satisfied.add(index);
      if (waiting) ndjson?.line(result);
    }
    if (!waiting) ndjson?.line(result);
  };
  const control: WindowControl = { limit: shardWindow };
  const probeAll = (tasks: Iterable<ProbeTask>) =>
    runSlidingWindow({
      tasks,
      control,
      run: (task, ctl) => probeEndpoint(adapter, task, ctl, attempt),
      onResult: (result, task) => record(result, task.index),
      ...(limiter ? { pace: () => limiter.reserve() } : {}),
    });
  let threadsUsed = 1;
  /** One round over threads: shard 0 here, the others in workers (or here, if one fails). */
  const probeInThreads = async () => {
    const jobs: ShardJob[] = [];
    for (let shard = 1; shard < shards; shard++) {
      jobs.push({
        planned,
        shard,
        shards,
        window: shardWindow,
        attempt: {
          protocol: "tcp",
          timeoutMs: flags.timeout,
          retries: flags.retries,
          lingerLimit: shardLinger,
        },
        services: [...byPort],
        debug: this.debug,
      });
    }
    const workers = startProbeThreads(jobs, record);
    try {
      await probeAll(shardProbes(planProbes(planned), 0, shards));
      const orphans = await workers.finished;
      threadsUsed = shards - orphans.length;
      for (const shard of orphans) await probeAll(shardProbes(planProbes(planned), shard, shards));
    } finally {
      workers.terminate();
    }
  };

  // A refused probe is an answer, not a failure: capturing a stack for each of tens of
  // thousands of connect errors costs more than a tenth of a full scan. --debug keeps them.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!this.debug) Error.stackTraceLimit = 0;
  try {
    for (;;) {
      rounds++;
      done = 0;
      if (shards > 1) await probeInThreads();
      else {
        const pending = planProbes(planned);
        await probeAll(waiting ? skipSatisfied(pending, satisfied) : pending);
      }
      if (!waiting || conditionMet(satisfied.size, total, match)) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      await sleep(Math.min(flags.interval, left));
      if (deadline - performance.now() <= 0) break;
      if (planned.some((p) => p.addresses?.length === 0)) planned = await resolve();
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    progress?.stop();
  }
  const elapsedMs = Math.round((performance.now() - started) * 1000) / 1000;

  const ordered = results.filter((r) => r !== undefined);
  const counts = emptyCounts();
  for (const r of ordered) countState(counts, r.state);
  if (waiting && ndjson) {
    for (const r of ordered) if (!meetsExpectation(r, expect)) ndjson.line(r);
  }
  const summary: ProbeSummary = {
    targets: texts,
    protocol,
    expect,
    match,
    met: conditionMet(ordered.filter((r) => meetsExpectation(r, expect)).length, total, match),
    probes: ordered.length,
    counts,
    elapsedMs,
    concurrency: shardWindow * threadsUsed,
    threads: threadsUsed,
    timeoutMs: flags.timeout,
    retries: flags.retries,
    rate: flags.rate ?? null,
    wait: waiting
      ? { timeoutMs: flags.wait!, intervalMs: flags.interval, rounds, waitedMs: elapsedMs }
      : null,
    command: command.length > 0 ? command : null,
  };

  if (!flags.quiet) {
    if (format === "json") this.io.write("stdout", toJson({ ...summary, results: ordered }));
    else if (ndjson) {
      ndjson.line({ type: "summary", ...summary });
      ndjson.flush();
    } else {
      const text = probeView.human(
        { summary, results: ordered, scan, showAll: !!flags.all },
        styleFor(this),
      );
      if (text) this.io.write("stdout", text);
    }
  }
  const code = probeExitCode(summary);
  this.process.exitCode = code;
  if (command.length === 0) return;
  if (!summary.met) {
    if (!flags.quiet) {
      diagnostic(
        this,
        `netdiag: not running ${quote(command[0])}: the probe condition was not met`,
      );
    }
    return;
  }
  await this.io.flush();
  const exit = await runProgram(command);
  if (exit.failure) diagnostic(this, `netdiag: cannot run ${quote(command[0])}: ${exit.failure}`);
  this.childExitStatus = exit.status;
}

function* skipSatisfied<T extends { index: number }>(
  tasks: Iterable<T>,
  satisfied: ReadonlySet<number>,
): Generator<T> {
  for (const t of tasks) if (!satisfied.has(t.index)) yield t;
}

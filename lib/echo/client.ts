/**
 * The measuring client behind `echo test`: ping-pong (one message at a time per connection) or
 * bulk full-duplex streaming over TCP or Unix sockets, and ping-pong over UDP. Every echoed byte
 * is verified; round trips go into an HDR histogram. Network I/O through the adapter only.
 * @module
 */
// The plain-JS histogram only: the package's index also pulls in its WebAssembly build.
import Int32HistogramModule from "hdr-histogram-js/dist/Int32Histogram.js";
import {
  type EchoConnectionResult,
  type EchoMismatch,
  type EchoTestResult,
  firstDifference,
  firstDifferenceAt,
  makePattern,
  MAX_UDP_PAYLOAD,
  PATTERN_BYTES,
  payloadOffset,
  readSequence,
  round2,
  round3,
  type RttSummary,
  SequenceTracker,
  writeSequence,
} from "../core/echo_test.ts";
import { encodeFrame, type Frame, FrameCollector, FrameError } from "../core/framing.ts";
import {
  type Connection,
  type DatagramSocket,
  formatAddress,
  type NetAdapter,
  NetError,
} from "../net/types.ts";
import { readServerRefusal, serverRefusal } from "./server_refusal.ts";
import { targetOfFamily } from "./target_family.ts";

/** The part of hdr-histogram-js's histogram that `echo test` uses. */
export interface RttHistogram {
  recordValue(value: number): void;
  readonly totalCount: number;
  readonly minNonZeroValue: number;
  readonly maxValue: number;
  readonly mean: number;
  readonly stdDeviation: number;
  getValueAtPercentile(percentile: number): number;
}

// CommonJS interop differs: Deno's default import is `module.exports` (the class is its
// `default`), Bun's is the class itself.
const Int32Histogram = ((Int32HistogramModule as unknown as { default?: unknown }).default ??
  Int32HistogramModule) as unknown as new (
    lowest: number,
    highest: number,
    digits: number,
  ) => RttHistogram;

/** A histogram for round-trip times in microseconds (1 µs to 1 hour, 3 significant digits). */
export function createRttHistogram(): RttHistogram {
  return new Int32Histogram(1, HISTOGRAM_MAX_US, 3);
}

/** Where `echo test` sends. */
export type EchoTarget =
  | { readonly transport: "tcp" | "udp"; readonly hostname: string; readonly port: number }
  | { readonly transport: "unix"; readonly path: string };

/** Options of {@link runEchoTest}. */
export interface EchoTestOptions {
  readonly target: EchoTarget;
  /**
   * Only an IPv4 (4) or IPv6 (6) address of the target's host; default any (the adapter
   * resolves the name). The host is then resolved once, before the test, to its first address
   * of the family.
   */
  readonly family?: 4 | 6;
  /** Speak the framing protocol; default false. */
  readonly framed?: boolean;
  /** Bulk full-duplex streaming instead of ping-pong (TCP/Unix, plain); default false. */
  readonly stream?: boolean;
  /** Messages per connection (ping-pong); default 100, unlimited when only `durationMs` is set. */
  readonly count?: number;
  /** Stop after this long. */
  readonly durationMs?: number;
  /** Message size (ping-pong) or write size (stream); default 64 / 128 KiB. */
  readonly size?: number;
  /** Bytes to stream per connection (stream mode); default 64 MiB unless `durationMs` is set. */
  readonly totalBytes?: number;
  /** Parallel connections (UDP: sockets); default 1. */
  readonly connections?: number;
  /** Pause between messages on a connection; default 0. */
  readonly intervalMs?: number;
  /** Wait this long for a connect or a reply; default 5 s (UDP: 1 s, then the message is lost). */
  readonly timeoutMs?: number;
}

/** Callbacks for what the test observes as it runs. */
export interface EchoTestHooks {
  /** A connection (UDP: socket) is done: its own counts, as it ends. */
  onConnection?(result: EchoConnectionResult): void;
}

const DEFAULT_COUNT = 100;
const DEFAULT_SIZE = 64;
const DEFAULT_STREAM_SIZE = 128 * 1024;
/** Stream mode compares what it reads against the pattern this much at a time. */
const STREAM_WINDOW_BYTES = 256 * 1024;
const DEFAULT_STREAM_TOTAL = 64 * 1024 * 1024;
const HISTOGRAM_MAX_US = 3_600_000_000;

/** Shared state of one test run. */
interface Run {
  readonly options: EchoTestOptions;
  readonly adapter: NetAdapter;
  readonly pattern: Uint8Array;
  readonly histogram: RttHistogram;
  readonly stop: AbortController;
  readonly deadline: number;
  readonly count: number;
  readonly size: number;
  readonly timeoutMs: number;
  mismatch?: EchoMismatch;
  error?: string;
  /** The network error's code when the first failure was one (`ECONNREFUSED`, …). */
  errorCode?: string;
  /** UDP: one tracker per socket (sequence numbers run per socket). */
  trackers?: SequenceTracker[];
}

/** One connection's (UDP: socket's) counters, kept by its worker. */
interface Counts {
  messagesSent: number;
  messagesVerified: number;
  bytesSent: number;
  bytesVerified: number;
}

/**
 * Runs the test and returns what it measured; never throws for network trouble once the test
 * runs (with {@link EchoTestOptions.family}, a host with no address of the family rejects
 * first: an OperationalError, or an InputError for an IP literal of the other family). Each
 * connection's own counts go to `hooks.onConnection` as it ends; `signal` ends the test early
 * (SIGINT), and the result then covers what was done, marked `interrupted`.
 *
 * @example
 * ```ts ignore
 * const result = await runEchoTest(adapter, { target: { transport: "tcp", hostname: "127.0.0.1", port: 7007 } });
 * result.messagesVerified; // 100
 * ```
 */
export async function runEchoTest(
  adapter: NetAdapter,
  options: EchoTestOptions,
  hooks: EchoTestHooks = {},
  signal?: AbortSignal,
): Promise<EchoTestResult> {
  options = { ...options, target: await targetOfFamily(options.target, options.family, signal) };
  const streamMode = options.stream ?? false;
  const size = options.size ?? (streamMode ? DEFAULT_STREAM_SIZE : DEFAULT_SIZE);
  const udp = options.target.transport === "udp";
  const connections = options.connections ?? 1;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  const run: Run = {
    options,
    adapter,
    pattern: makePattern(PATTERN_BYTES, Math.max(size, STREAM_WINDOW_BYTES, MAX_UDP_PAYLOAD) + 16),
    histogram: createRttHistogram(),
    stop,
    deadline: options.durationMs !== undefined ? performance.now() + options.durationMs : Infinity,
    count: options.count ?? (options.durationMs !== undefined ? Infinity : DEFAULT_COUNT),
    size,
    timeoutMs: options.timeoutMs ?? (udp ? 1000 : 5000),
    trackers: udp ? Array.from({ length: connections }, () => new SequenceTracker()) : undefined,
  };
  const started = performance.now();
  const counts: Counts[] = [];
  const workers: Promise<void>[] = [];
  for (let i = 1; i <= connections; i++) {
    const stats: Counts = { messagesSent: 0, messagesVerified: 0, bytesSent: 0, bytesVerified: 0 };
    counts.push(stats);
    const worker = udp
      ? udpWorker(run, i, stats)
      : streamMode
      ? streamWorker(run, i, stats)
      : pingWorker(run, i, stats);
    workers.push(
      worker.catch((error) => fail(run, error)).then(() =>
        hooks.onConnection?.({
          connection: i,
          ...stats,
          durationMs: round3(performance.now() - started),
        })
      ),
    );
  }
  await Promise.all(workers);
  signal?.removeEventListener("abort", onAbort);
  return testResult(run, counts, performance.now() - started, signal?.aborted ?? false);
}

/** The result of a finished run from its connections' counts and how long it took. */
function testResult(run: Run, counts: Counts[], ms: number, aborted: boolean): EchoTestResult {
  const { options, trackers } = run;
  const total = (key: keyof Counts) => sum(counts.map((c) => c[key]));
  const [messagesSent, messagesVerified] = [total("messagesSent"), total("messagesVerified")];
  const bytesVerified = total("bytesVerified");
  const received = trackers && sum(trackers.map((t) => t.received));
  return {
    target: options.target.transport === "unix"
      ? options.target.path
      : formatAddress(options.target),
    transport: options.target.transport,
    pattern: options.stream ? "stream" : "ping-pong",
    framed: options.framed ?? false,
    connections: counts.length,
    size: run.size,
    messagesSent,
    messagesVerified,
    bytesSent: total("bytesSent"),
    bytesVerified,
    durationMs: round3(ms),
    messagesPerSecond: ms > 0 ? Math.round(messagesVerified / (ms / 1000)) : 0,
    bytesPerSecond: ms > 0 ? Math.round(bytesVerified / (ms / 1000)) : 0,
    rtt: options.stream ? null : summariseRtt(run.histogram),
    ...(trackers && received !== undefined
      ? {
        udp: {
          lost: messagesSent - received,
          lossPercent: messagesSent > 0
            ? round2(100 * (messagesSent - received) / messagesSent)
            : 0,
          duplicates: sum(trackers.map((t) => t.duplicates)),
          reordered: sum(trackers.map((t) => t.reordered)),
        },
      }
      : {}),
    ...(run.mismatch ? { mismatch: run.mismatch } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.errorCode ? { errorCode: run.errorCode } : {}),
    ...(aborted ? { interrupted: true as const } : {}),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Summarises a histogram of microseconds as milliseconds; null when empty. */
export function summariseRtt(histogram: RttHistogram): RttSummary | null {
  const samples = histogram.totalCount;
  if (samples === 0) return null;
  const ms = (us: number) => round3(us / 1000);
  return {
    samples,
    minMs: ms(histogram.minNonZeroValue),
    meanMs: ms(histogram.mean),
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    maxMs: ms(histogram.maxValue),
    stddevMs: ms(histogram.stdDeviation),
  };
}

function fail(run: Run, error: unknown): void {
  if (!run.error && !run.mismatch) {
    run.error = error instanceof Error ? error.message : String(error);
    if (error instanceof NetError) run.errorCode = error.code;
  }
  run.stop.abort();
}

function recordMismatch(run: Run, mismatch: EchoMismatch): void {
  if (!run.mismatch) run.mismatch = mismatch;
  run.stop.abort();
}

function more(run: Run, sent: number): boolean {
  return sent < run.count && !run.stop.signal.aborted && performance.now() < run.deadline;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function recordRtt(run: Run, startMs: number): void {
  const us = Math.max(1, Math.round((performance.now() - startMs) * 1000));
  run.histogram.recordValue(Math.min(us, HISTOGRAM_MAX_US));
}

/**
 * Closes a connection when it has waited for the peer longer than the timeout, so that a
 * pending read ends; `idle` says whether it is waiting and since when.
 */
function watchdog(run: Run, conn: Connection, state: { since: number | null }) {
  let timedOut = false;
  const tick = Math.max(10, Math.min(250, Math.floor(run.timeoutMs / 4)));
  const timer = setInterval(() => {
    if (state.since !== null && performance.now() - state.since > run.timeoutMs) {
      timedOut = true;
      conn.close();
    }
  }, tick);
  const onStop = () => conn.close();
  run.stop.signal.addEventListener("abort", onStop, { once: true });
  return {
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearInterval(timer);
      run.stop.signal.removeEventListener("abort", onStop);
    },
  };
}

/** Connects to the target; undefined when the run was stopped before the connection was made. */
async function open(run: Run): Promise<Connection | undefined> {
  const t = run.options.target;
  try {
    const conn = await run.adapter.connect(
      t.transport === "unix"
        ? { transport: "unix", path: t.path, timeoutMs: run.timeoutMs, signal: run.stop.signal }
        : {
          transport: "tcp",
          hostname: t.hostname,
          port: t.port,
          timeoutMs: run.timeoutMs,
          signal: run.stop.signal,
        },
    );
    conn.setNoDelay(true);
    return conn;
  } catch (error) {
    if (error instanceof NetError && error.code === "ABORTED") return undefined;
    throw error;
  }
}

/** Thrown to end a worker quietly because the run was stopped. */
class Stopped extends Error {}

function timeoutMessage(run: Run, connection: number, what: string): string {
  return `no echo from ${JSON.stringify(targetText(run))} within ${
    run.timeoutMs / 1000
  }s: connection ${connection}, ${what}`;
}

function targetText(run: Run): string {
  const t = run.options.target;
  return t.transport === "unix" ? t.path : formatAddress(t);
}

/** TCP/Unix ping-pong: send one message, read its echo whole, verify, repeat. */
async function pingWorker(run: Run, connection: number, stats: Counts): Promise<void> {
  const conn = await open(run);
  if (!conn) return;
  const state = { since: null as number | null };
  const dog = watchdog(run, conn, state);
  const framed = run.options.framed ?? false;
  const collector = framed
    ? new FrameCollector({ maxBodyBytes: Math.max(run.size, 1 << 20) })
    : undefined;
  const buffer = new Uint8Array(Math.max(run.size, 4096) + 4096);
  const { pattern, size } = run;
  const whole = buffer.subarray(0, size);
  let seq = 0;
  try {
    while (more(run, seq)) {
      seq++;
      const off = payloadOffset(seq + connection * 104_729, PATTERN_BYTES);
      const payload = pattern.subarray(off, off + size);
      const wire = framed ? encodeFrame({ seq }, payload) : payload;
      const t0 = performance.now();
      state.since = t0;
      await conn.write(wire);
      stats.messagesSent++;
      stats.bytesSent += size;
      if (collector) {
        let frame: Frame | undefined;
        while (!frame) {
          const n = await conn.read(buffer);
          if (n === null) throw closedEarly(run, dog.timedOut, connection, seq, "frame");
          const frames = collector.push(buffer.subarray(0, n));
          if (frames.length > 1) throw new Error(`got ${frames.length} frames for message ${seq}`);
          frame = frames[0];
        }
        if (typeof frame.header.error === "string") {
          throw new Error(`server reported: ${frame.header.error}`);
        }
        if (frame.header.seq !== seq) {
          throw new Error(
            `echoed frame out of order on connection ${connection}: ` +
              `expected seq ${seq}, got ${JSON.stringify(frame.header.seq)}`,
          );
        }
        const diff = firstDifference(payload, frame.body);
        if (diff >= 0) {
          recordMismatch(run, mismatchAt(connection, seq, diff, payload, frame.body));
          return;
        }
      } else {
        let got = 0;
        while (got < size) {
          // Mostly the echo comes whole: read into a view made once, compare without views.
          const n = await conn.read(got === 0 ? whole : buffer.subarray(0, size - got));
          if (n === null) {
            throw closedEarly(run, dog.timedOut, connection, seq, `${got} of ${size} bytes`);
          }
          const diff = firstDifferenceAt(payload, got, buffer, n);
          if (diff >= 0) {
            if (seq === 1 && got === 0) {
              const words = await readServerRefusal(buffer.subarray(0, n), (b) => conn.read(b));
              if (words !== undefined) throw refusal(connection, words);
            }
            recordMismatch(
              run,
              mismatchAt(connection, seq, got + diff, payload, buffer.subarray(0, n), got),
            );
            return;
          }
          got += n;
        }
      }
      state.since = null;
      recordRtt(run, t0);
      stats.messagesVerified++;
      stats.bytesVerified += size;
      if (run.options.intervalMs) await sleep(run.options.intervalMs, run.stop.signal);
    }
    state.since = performance.now();
    await conn.closeWrite().catch(() => {});
  } catch (error) {
    if (run.stop.signal.aborted && !dog.timedOut) return;
    if (error instanceof FrameError) throw new Error(`bad frame from the server: ${error.message}`);
    throw error;
  } finally {
    dog.dispose();
    conn.close();
  }
}

/** The server turned the connection away (its words): an error, not a mismatch. */
function refusal(connection: number, words: string): Error {
  return new Error(`server refused connection ${connection}: ${words}`);
}

function closedEarly(
  run: Run,
  timedOut: boolean,
  connection: number,
  seq: number,
  what: string,
): Error {
  if (run.stop.signal.aborted && !timedOut) return new Stopped();
  if (timedOut) return new Error(timeoutMessage(run, connection, `message ${seq}`));
  return new Error(
    `connection closed by ${JSON.stringify(targetText(run))}: connection ${connection}, ` +
      `message ${seq} after ${what}`,
  );
}

function mismatchAt(
  connection: number,
  message: number,
  offset: number,
  expected: Uint8Array,
  actual: Uint8Array,
  actualStart = 0,
): EchoMismatch {
  return {
    connection,
    message,
    offset,
    expected: offset < expected.length ? expected[offset] : null,
    actual: offset - actualStart < actual.length ? actual[offset - actualStart] : null,
  };
}

/** TCP/Unix bulk: write the pattern while reading it back, verifying every byte. */
async function streamWorker(run: Run, connection: number, stats: Counts): Promise<void> {
  const conn = await open(run);
  if (!conn) return;
  const state = { since: performance.now() as number | null };
  const dog = watchdog(run, conn, state);
  const total = run.options.totalBytes ??
    (run.options.durationMs !== undefined ? Infinity : DEFAULT_STREAM_TOTAL);
  const { pattern, size } = run;
  const start = (connection * 104_729) % PATTERN_BYTES;
  let sent = 0;
  let writing = true;
  const writer = (async () => {
    try {
      while (sent < total && !run.stop.signal.aborted && performance.now() < run.deadline) {
        const n = Math.min(size, total - sent);
        const off = (start + sent) % PATTERN_BYTES;
        await conn.write(pattern.subarray(off, off + n));
        state.since = performance.now();
        sent += n;
        stats.bytesSent += n;
        stats.messagesSent++;
      }
    } finally {
      writing = false;
    }
    await conn.closeWrite();
  })();
  let received = 0;
  let reads = 0;
  try {
    const reader = (async () => {
      for (;;) {
        // The runtime's own chunk where it has one (Bun): nothing copied before the compare.
        const chunk = await conn.readChunk();
        if (chunk === null) break;
        state.since = performance.now();
        reads++;
        // Past the last byte sent (once the writer is done) nothing more may come back.
        const limit = writing ? total : sent;
        // Compared in windows the pattern holds contiguously (a chunk may be larger).
        for (let at = 0; at < chunk.length; at += STREAM_WINDOW_BYTES) {
          const got = chunk.length <= STREAM_WINDOW_BYTES
            ? chunk
            : chunk.subarray(at, at + STREAM_WINDOW_BYTES);
          const off = (start + received) % PATTERN_BYTES;
          const diff = firstDifference(
            pattern.subarray(off, off + Math.min(got.length, limit - received)),
            got,
          );
          if (diff >= 0) {
            const words = received === 0 ? serverRefusal(got) : undefined;
            if (words !== undefined) throw refusal(connection, words);
            recordMismatch(run, {
              connection,
              message: reads,
              offset: received + diff,
              expected: received + diff < limit ? pattern[off + diff] : null,
              actual: got[diff],
            });
            return;
          }
          received += got.length;
          stats.bytesVerified += got.length;
        }
        if (!writing && received === sent) break;
      }
      if (received < sent && !run.stop.signal.aborted) {
        throw new Error(
          `connection closed by ${JSON.stringify(targetText(run))}: connection ${connection} ` +
            `after echoing ${received} of ${sent} bytes`,
        );
      }
    })();
    await Promise.all([writer, reader]);
    stats.messagesVerified += Math.floor(received / size);
  } catch (error) {
    if (dog.timedOut) throw new Error(timeoutMessage(run, connection, `after ${received} bytes`));
    if (run.stop.signal.aborted) return;
    throw error;
  } finally {
    dog.dispose();
    conn.close();
  }
}

/** UDP ping-pong with sequence numbers: loss, duplicates and reordering instead of errors. */
async function udpWorker(run: Run, connection: number, stats: Counts): Promise<void> {
  const t = run.options.target as { hostname: string; port: number };
  const local = t.hostname.includes(":") ? "::" : "0.0.0.0";
  const loopback = t.hostname.startsWith("127.") || t.hostname === "localhost";
  const socket: DatagramSocket = await run.adapter.bindDatagram({
    hostname: loopback ? "127.0.0.1" : t.hostname === "::1" ? "::1" : local,
    port: 0,
  });
  const framed = run.options.framed ?? false;
  const runId = (Math.random() * 0x1_0000_0000) >>> 0;
  const { pattern, size } = run;
  const tracker = run.trackers![connection - 1];
  const payloadFor = (seq: number) => {
    const off = payloadOffset(seq + connection * 104_729, PATTERN_BYTES);
    const payload = pattern.slice(off, off + size);
    writeSequence(payload, runId, seq);
    return payload;
  };
  let n = 0;
  const inspect = (data: Uint8Array): number | undefined => {
    let body = data;
    if (framed) {
      try {
        const frames = new FrameCollector({ maxBodyBytes: MAX_UDP_PAYLOAD }).push(data);
        if (frames.length !== 1) return undefined;
        if (typeof frames[0].header.error === "string") {
          throw new Error(`server reported: ${frames[0].header.error}`);
        }
        body = frames[0].body;
      } catch (error) {
        if (error instanceof FrameError) return undefined;
        throw error;
      }
    }
    const header = readSequence(body);
    if (!header || header.runId !== runId) return undefined; // not ours
    const diff = firstDifference(payloadFor(header.seq), body);
    if (diff >= 0) {
      recordMismatch(run, mismatchAt(connection, header.seq, diff, payloadFor(header.seq), body));
      return undefined;
    }
    if (tracker.record(header.seq) !== "duplicate") {
      stats.messagesVerified++;
      stats.bytesVerified += size;
    }
    return header.seq;
  };
  try {
    while (more(run, n)) {
      const seq = ++n;
      const payload = payloadFor(seq);
      const wire = framed ? encodeFrame({ seq }, payload) : payload;
      const t0 = performance.now();
      try {
        await socket.send(wire, { hostname: t.hostname, port: t.port });
      } catch (error) {
        if (error instanceof NetError && error.code === "ECONNREFUSED") {
          stats.messagesSent++;
          continue;
        }
        throw error;
      }
      stats.messagesSent++;
      stats.bytesSent += size;
      for (;;) {
        const remaining = run.timeoutMs - (performance.now() - t0);
        if (remaining <= 0 || run.stop.signal.aborted) break;
        const datagram = await receiveWithin(socket, remaining, run.stop.signal);
        if (!datagram) break;
        const got = inspect(datagram);
        if (run.mismatch) return;
        if (got === seq) {
          recordRtt(run, t0);
          break;
        }
      }
      if (run.options.intervalMs) await sleep(run.options.intervalMs, run.stop.signal);
    }
    // Late replies still count as delivered (and reveal reordering).
    const drainUntil = performance.now() + Math.min(run.timeoutMs, 200);
    while (!run.stop.signal.aborted) {
      const remaining = drainUntil - performance.now();
      if (remaining <= 0) break;
      const datagram = await receiveWithin(socket, remaining, run.stop.signal);
      if (!datagram) break;
      inspect(datagram);
    }
  } finally {
    socket.close();
  }
}

async function receiveWithin(
  socket: DatagramSocket,
  ms: number,
  stop: AbortSignal,
): Promise<Uint8Array | undefined> {
  const signal = AbortSignal.any([AbortSignal.timeout(Math.max(1, Math.ceil(ms))), stop]);
  try {
    return (await socket.receive(signal)).data;
  } catch (error) {
    if (error instanceof NetError && (error.code === "ABORTED" || error.code === "ECONNREFUSED")) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Probing one endpoint through the socket adapter: a TCP or Unix connect, or a UDP datagram and
 * its answer, with retries after silence and patient waits when the process runs out of file
 * descriptors (EMFILE is retried, never reported as a port state).
 * @module
 */
import type { ProbeResult, ProbeState } from "../core/probe_result.ts";
import { sleep, type WindowControl } from "../core/sliding_window.ts";
import { type NetAdapter, NetError, type ProbeConnectOutcome } from "../net/types.ts";
import type { ProbeTask } from "./plan.ts";
import { nodeFsSync } from "../runtime/node_fs_sync.ts";

/** Options of {@link probeEndpoint}. */
export interface AttemptOptions {
  readonly protocol: "tcp" | "udp";
  /** Per-attempt timeout in milliseconds. */
  readonly timeoutMs: number;
  /** TCP: sockets of timed-out probes that may outlive their answer, see `ProbeConnectOptions`. */
  readonly lingerLimit?: number;
  /** Extra attempts after silence (a TCP timeout, no UDP reply). */
  readonly retries: number;
  /** The UDP payload. */
  readonly payload: Uint8Array;
  /** The service name of a port for the protocol, or null. */
  readonly serviceOf: (port: number) => string | null;
  /** Milliseconds left before a wait's deadline (attempts never outlive it); default none. */
  readonly remainingMs?: () => number;
  /**
   * Once aborted, no further attempt starts, and a UDP wait or a wait for a free descriptor
   * ends with {@link AttemptAborted}; a TCP connect in flight ends within its timeout.
   */
  readonly signal?: AbortSignal;
}

/**
 * The window a probe runs in: its size, which EMFILE lowers, and when it was last lowered (each
 * scan has its own).
 */
export interface AttemptWindow extends WindowControl {
  /** `performance.now()` of the last shrink; default never. */
  lastShrinkAt?: number;
}

/** Thrown when a probe was aborted before it had an answer: it has no result. */
export class AttemptAborted extends Error {
  constructor() {
    super("probe aborted");
    this.name = "AttemptAborted";
  }
}

/** How many times one probe waits for a free descriptor before it reports EMFILE. */
const EMFILE_RETRIES = 200;
/** A window is shrunk at most this often after EMFILE. */
const SHRINK_EVERY_MS = 50;

/** What one address's attempts found. */
export interface Outcome {
  readonly state: ProbeState;
  readonly code: string | null;
  readonly latencyMs: number | null;
  readonly replyBytes?: number;
  readonly icmpVisible?: boolean;
}

/** Whether an address is loopback: 127.0.0.0/8, ::1 or an IPv4-mapped 127.x. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase();
  return a.startsWith("127.") || a === "::1" || a === "0:0:0:0:0:0:0:1" ||
    a.startsWith("::ffff:127.");
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Lowers the window after EMFILE (to 90%, at most every {@link SHRINK_EVERY_MS}). */
function shrink(window: AttemptWindow): void {
  const now = performance.now();
  if (now - (window.lastShrinkAt ?? -Infinity) < SHRINK_EVERY_MS) return;
  window.lastShrinkAt = now;
  window.limit = Math.max(1, Math.floor(window.limit * 0.9));
}

/**
 * Runs `once`, waiting and retrying while it fails with EMFILE; `first` is the outcome of a call
 * already made (the fast path's), which then counts as the first.
 */
async function patient<T extends Outcome>(
  once: () => Promise<T>,
  window: AttemptWindow,
  signal: AbortSignal | undefined,
  first?: T,
): Promise<T> {
  for (let i = 0;; i++) {
    const outcome = i === 0 && first !== undefined ? first : await once();
    if (outcome.code !== "EMFILE" || i >= EMFILE_RETRIES) return outcome;
    if (signal?.aborted) throw new AttemptAborted();
    shrink(window);
    await sleep(Math.min(5 + i * 5, 100));
  }
}

/** The timeout of the next attempt: the option, or less when a deadline is nearer. */
export function timeoutFor(options: AttemptOptions): number {
  const left = options.remainingMs?.() ?? Infinity;
  return Math.max(1, Math.min(options.timeoutMs, Math.floor(left)));
}

/** Whether another attempt may start: time left before the deadline and not aborted. */
export function mayRetry(options: AttemptOptions): boolean {
  return (options.remainingMs?.() ?? Infinity) > 0 && !options.signal?.aborted;
}

function connectOnce(
  adapter: NetAdapter,
  address: string,
  port: number,
  options: AttemptOptions,
): Promise<ProbeConnectOutcome> {
  return adapter.probeConnect({
    hostname: address,
    port,
    timeoutMs: timeoutFor(options),
    lingerLimit: options.lingerLimit ?? 0,
  });
}

/** What a TCP connect's answer says about the port. */
export function tcpOutcome(outcome: ProbeConnectOutcome, address: string, port: number): Outcome {
  if (outcome.ok) {
    const latencyMs = round(outcome.latencyMs);
    // Connecting to a loopback port nobody listens on can pick that very port as the local
    // one: the socket meets itself (TCP simultaneous open). That is not an open port.
    if (outcome.localPort === port && isLoopback(address)) {
      return { state: "closed", code: "SELF_CONNECT", latencyMs };
    }
    return { state: "open", code: null, latencyMs };
  }
  switch (outcome.code) {
    case "ECONNREFUSED":
    case "ECONNRESET":
      return { state: "closed", code: "ECONNREFUSED", latencyMs: round(outcome.latencyMs) };
    case "ETIMEDOUT":
      return { state: "filtered", code: "ETIMEDOUT", latencyMs: null };
    default:
      return { state: "error", code: outcome.code, latencyMs: null };
  }
}

async function tcpOnce(
  adapter: NetAdapter,
  address: string,
  port: number,
  options: AttemptOptions,
): Promise<Outcome> {
  return tcpOutcome(await connectOnce(adapter, address, port, options), address, port);
}

async function unixOnce(
  adapter: NetAdapter,
  path: string,
  options: AttemptOptions,
): Promise<Outcome> {
  const started = performance.now();
  try {
    const conn = await adapter.connect({
      transport: "unix",
      path,
      timeoutMs: timeoutFor(options),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const latencyMs = round(performance.now() - started);
    conn.close();
    return { state: "open", code: null, latencyMs };
  } catch (error) {
    if (!(error instanceof NetError)) throw error;
    const latencyMs = round(performance.now() - started);
    switch (error.code) {
      case "ENOENT":
        return { state: "closed", code: "ENOENT", latencyMs };
      case "ECONNREFUSED":
        // Linux refuses a connect to a file that is not a socket the same way as to a socket
        // nobody listens on; the file's type tells them apart.
        if (await isNonSocketFile(path)) return { state: "error", code: "ENOTSOCK", latencyMs };
        return { state: "closed", code: "ECONNREFUSED", latencyMs };
      case "ECONNRESET":
        // A Unix connect cannot be reset before it is accepted: something listened, accepted
        // and closed at once, and the runtime (Bun's node:net) saw the close before "connect".
        return { state: "open", code: null, latencyMs };
      case "ETIMEDOUT":
        return { state: "filtered", code: "ETIMEDOUT", latencyMs: null };
      case "ABORTED":
        throw new AttemptAborted();
      default:
        return { state: "error", code: error.code, latencyMs: null };
    }
  }
}

async function isNonSocketFile(path: string): Promise<boolean> {
  try {
    return !(await nodeFsSync().promises.stat(path)).isSocket();
  } catch {
    return false;
  }
}

/** Sends the payload and waits for a reply or an ICMP error on a connected UDP socket. */
async function udpOnce(
  adapter: NetAdapter,
  address: string,
  port: number,
  options: AttemptOptions,
): Promise<Outcome & { readonly attempts: number }> {
  const v6 = address.includes(":");
  const bind = isLoopback(address) ? (v6 ? "::1" : "127.0.0.1") : (v6 ? "::" : "0.0.0.0");
  let socket;
  try {
    socket = await adapter.bindDatagram({
      hostname: bind,
      port: 0,
      connect: { hostname: address, port },
    });
  } catch (error) {
    if (!(error instanceof NetError)) throw error;
    return { state: "error", code: error.code, latencyMs: null, attempts: 0 };
  }
  const icmpVisible = socket.reportsUnreachable;
  let attempts = 0;
  try {
    for (;;) {
      attempts++;
      const outcome = await udpExchange(socket, port, options);
      if (outcome) return { ...outcome, icmpVisible, attempts };
      if (options.signal?.aborted) throw new AttemptAborted();
      if (attempts > options.retries || !mayRetry(options)) {
        return {
          state: "open|filtered",
          code: "ETIMEDOUT",
          latencyMs: null,
          icmpVisible,
          attempts,
        };
      }
    }
  } finally {
    socket.close();
  }
}

/** One UDP attempt: an outcome, or undefined for silence (or an abort) until the timeout. */
async function udpExchange(
  socket: Awaited<ReturnType<NetAdapter["bindDatagram"]>>,
  port: number,
  options: AttemptOptions,
): Promise<Outcome | undefined> {
  const stop = new AbortController();
  const abort = () => stop.abort();
  const timer = setTimeout(abort, timeoutFor(options));
  options.signal?.addEventListener("abort", abort, { once: true });
  if (options.signal?.aborted) abort();
  const started = performance.now();
  try {
    await socket.send(options.payload);
    for (;;) {
      const reply = await socket.receive(stop.signal);
      if (reply.from.port !== port) continue; // not our peer (Deno sockets are not connected)
      return {
        state: "open",
        code: null,
        latencyMs: round(performance.now() - started),
        replyBytes: reply.data.length,
      };
    }
  } catch (error) {
    if (!(error instanceof NetError)) throw error;
    if (error.code === "ECONNREFUSED") {
      return {
        state: "closed",
        code: "ECONNREFUSED",
        latencyMs: round(performance.now() - started),
      };
    }
    if (error.code !== "ABORTED") return { state: "error", code: error.code, latencyMs: null };
    return undefined;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abort);
  }
}

/** The address family of an IP address. */
function familyOf(address: string): 4 | 6 {
  return address.includes(":") ? 6 : 4;
}

/** Builds an IP result with its fields in a stable order. */
export function ipResult(
  task: ProbeTask,
  protocol: "tcp" | "udp",
  address: string | null,
  service: string | null,
  outcome: Outcome,
  attempts: number,
): ProbeResult {
  const result: ProbeResult = {
    target: task.target,
    transport: protocol,
    host: task.host ?? address ?? "",
    address,
    port: task.port!,
    family: address === null ? null : familyOf(address),
    service,
    state: outcome.state,
    code: outcome.code,
    latencyMs: outcome.latencyMs,
    attempts,
  };
  if (protocol !== "udp") return result;
  return {
    ...result,
    icmpVisible: outcome.icmpVisible ?? false,
    ...(outcome.replyBytes !== undefined ? { replyBytes: outcome.replyBytes } : {}),
  };
}

async function probeUnix(
  adapter: NetAdapter,
  task: ProbeTask,
  window: AttemptWindow,
  options: AttemptOptions,
): Promise<ProbeResult> {
  let attempts = 0;
  let outcome: Outcome;
  do {
    attempts++;
    outcome = await patient(() => unixOnce(adapter, task.path!, options), window, options.signal);
  } while (outcome.state === "filtered" && attempts <= options.retries && mayRetry(options));
  return {
    target: task.target,
    transport: "unix",
    path: task.path!,
    state: outcome.state,
    code: outcome.code,
    latencyMs: outcome.latencyMs,
    attempts,
  };
}

/** Probes one address of an IP task: its outcome and the attempts it took. */
async function probeAddress(
  adapter: NetAdapter,
  address: string,
  port: number,
  window: AttemptWindow,
  options: AttemptOptions,
): Promise<{ outcome: Outcome; attempts: number }> {
  if (options.protocol === "udp") {
    let attempts = 0;
    const outcome = await patient(
      async () => {
        const o = await udpOnce(adapter, address, port, options);
        attempts += o.attempts;
        return o;
      },
      window,
      options.signal,
    );
    return { outcome, attempts };
  }
  return await tcpAttempts(adapter, address, port, window, options);
}

/**
 * A TCP address's attempts: retried after a timeout (`retries` times), each patient with EMFILE.
 * `first` is the first attempt's outcome when it was already made.
 */
async function tcpAttempts(
  adapter: NetAdapter,
  address: string,
  port: number,
  window: AttemptWindow,
  options: AttemptOptions,
  first?: Outcome,
): Promise<{ outcome: Outcome; attempts: number }> {
  let attempts = 0;
  let outcome: Outcome;
  do {
    attempts++;
    outcome = await patient(
      () => tcpOnce(adapter, address, port, options),
      window,
      options.signal,
      attempts === 1 ? first : undefined,
    );
  } while (outcome.state === "filtered" && attempts <= options.retries && mayRetry(options));
  return { outcome, attempts };
}

/**
 * Probes one planned endpoint and returns its result. For a host name with several addresses,
 * they are tried in order until one is open; the result is the open one's, else the first's.
 * Throws {@link AttemptAborted} when `options.signal` ended it before it had an answer.
 */
export function probeEndpoint(
  adapter: NetAdapter,
  task: ProbeTask,
  window: AttemptWindow,
  options: AttemptOptions,
): Promise<ProbeResult> {
  if (task.kind === "ip" && options.protocol === "tcp" && task.addresses.length === 1) {
    return probeTcpAddress(adapter, task, window, options);
  }
  return probeAny(adapter, task, window, options);
}

/**
 * The common case, kept to one connect and one continuation: a TCP endpoint with one address
 * (a full-range scan runs this 65,535 times). A timeout or EMFILE continues on the general path.
 */
function probeTcpAddress(
  adapter: NetAdapter,
  task: ProbeTask,
  window: AttemptWindow,
  options: AttemptOptions,
): Promise<ProbeResult> {
  const address = task.addresses[0];
  const port = task.port!;
  const service = options.serviceOf(port);
  let connecting: Promise<ProbeConnectOutcome>;
  try {
    connecting = connectOnce(adapter, address, port, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return connecting.then((connected) => {
    const first = tcpOutcome(connected, address, port);
    if (first.code !== "EMFILE" && first.state !== "filtered") {
      return ipResult(task, "tcp", address, service, first, 1);
    }
    return tcpAttempts(adapter, address, port, window, options, first).then(
      ({ outcome, attempts }) => ipResult(task, "tcp", address, service, outcome, attempts),
    );
  });
}

async function probeAny(
  adapter: NetAdapter,
  task: ProbeTask,
  window: AttemptWindow,
  options: AttemptOptions,
): Promise<ProbeResult> {
  if (task.kind === "unix") return probeUnix(adapter, task, window, options);
  const service = options.serviceOf(task.port!);
  if (task.addresses.length === 0) {
    const unresolved: Outcome = { state: "error", code: "ENOTFOUND", latencyMs: null };
    return ipResult(task, options.protocol, null, service, unresolved, 0);
  }
  let first: ProbeResult | undefined;
  for (const address of task.addresses) {
    if (first && options.signal?.aborted) break;
    const { outcome, attempts } = await probeAddress(adapter, address, task.port!, window, options);
    const result = ipResult(task, options.protocol, address, service, outcome, attempts);
    if (result.state === "open") return result;
    first ??= result;
  }
  return first!;
}

/** A probe's result, or undefined when it was aborted before it had an answer. */
export function withoutAborted(probe: Promise<ProbeResult>): Promise<ProbeResult | undefined> {
  return probe.catch((error) => {
    if (error instanceof AttemptAborted) return undefined;
    throw error;
  });
}

/**
 * Many TCP probe connects at once, the way a C scanner makes them: non-blocking sockets watched
 * with epoll, called through the runtime's foreign-function interface into libc. A runtime's
 * own connect costs several more system calls and a promise, a socket object and an error each
 * (Bun: two setsockopt and a second epoll_ctl per connect); a full-range loopback scan spends
 * most of its time there. This path makes per connect what the kernel needs: socket, connect,
 * epoll_ctl, getsockopt, close (and getsockname when it connects, for the self-connect rule).
 *
 * Available on Linux with glibc under Bun (bun:ffi) and under Deno where `--allow-ffi` grants
 * Deno.dlopen; elsewhere {@link connectBatcher} resolves to undefined and callers use
 * `NetAdapter.probeConnect`. The loop blocks its thread in
 * epoll_wait for at most a few milliseconds at a time and yields to the event loop at least that
 * often, so timers, messages and signals still run.
 * @module
 */
import { setImmediate } from "node:timers";
import { inetPton4, inetPton6 } from "../core/inet_pton.ts";
import { type ProbeConnectOutcome, toNetErrorCode } from "./types.ts";

/** One connect of a batch. */
export interface BatchConnect<T> {
  readonly task: T;
  /** An IPv4 or IPv6 address literal (no zone). */
  readonly address: string;
  readonly port: number;
}

/** Options of {@link ConnectBatcher.run}. */
export interface ConnectBatchOptions<T> {
  /** The next connect to make, pulled when a slot frees; undefined when there is none. */
  readonly next: () => BatchConnect<T> | undefined;
  /** Receives each connect's outcome (the same outcomes as `probeConnect`'s). */
  readonly onOutcome: (task: T, outcome: ProbeConnectOutcome) => void;
  /** Connects in flight at most; EMFILE lowers it. */
  readonly window: number;
  /** Give up a connect after this many milliseconds (`ETIMEDOUT`). */
  readonly timeoutMs: number;
  /** Once aborted, no connect starts; those in flight end within their timeout. */
  readonly signal?: AbortSignal;
}

/** Runs batches of connects in this thread. */
export interface ConnectBatcher {
  /** Whether `address` can be connected to here (an IPv4 or IPv6 literal without a zone). */
  accepts(address: string): boolean;
  /** Makes every connect `next` gives; resolves once all have an outcome. */
  run<T>(options: ConnectBatchOptions<T>): Promise<void>;
}

/** The longest a single epoll_wait blocks the thread, and the most time between yields. */
const SLICE_MS = 8;
/** How many times a connect waits for a free descriptor before its outcome is EMFILE. */
const EMFILE_RETRIES = 200;

const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: "EPERM",
  4: "EINTR",
  9: "EBADF",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  100: "ENETDOWN",
  101: "ENETUNREACH",
  103: "ECONNABORTED",
  104: "ECONNRESET",
  105: "ENOBUFS",
  110: "ETIMEDOUT",
  111: "ECONNREFUSED",
  112: "EHOSTDOWN",
  106: "EISCONN",
  107: "ENOTCONN",
  113: "EHOSTUNREACH",
  114: "EALREADY",
};

/** connect(2)'s errno for a connect under way. */
const EINPROGRESS = 115;

/** A failed connect's outcome from its errno. */
function failure(errno: number, latencyMs: number): ProbeConnectOutcome {
  const systemCode = ERRNO_NAMES[errno] ?? `errno ${errno}`;
  const code = toNetErrorCode(systemCode);
  return code === systemCode
    ? { ok: false, code, latencyMs }
    : { ok: false, code, systemCode, latencyMs };
}

/** The address as a sockaddr_in or sockaddr_in6 (port left 0), or undefined. */
function sockaddr(address: string): Uint8Array | undefined {
  const v4 = inetPton4(address);
  if (v4) {
    const out = new Uint8Array(16);
    out[0] = 2; // AF_INET, little-endian u16
    out.set(v4, 4);
    return out;
  }
  const v6 = address.includes("%") ? undefined : inetPton6(address);
  if (!v6) return undefined;
  const out = new Uint8Array(28);
  out[0] = 10; // AF_INET6
  out.set(v6, 8);
  return out;
}

let loading: Promise<ConnectBatcher | undefined> | undefined;

/** This thread's batcher, or undefined where the runtime or the system has none. */
export function connectBatcher(): Promise<ConnectBatcher | undefined> {
  loading ??= loadBatcher().catch(() => undefined);
  return loading;
}

async function loadBatcher(): Promise<ConnectBatcher | undefined> {
  const g = globalThis as {
    Bun?: unknown;
    Deno?: { build: { os: string; arch: string } };
    process?: { platform?: string; arch?: string };
  };
  const linux = g.Deno ? g.Deno.build.os === "linux" : g.process?.platform === "linux";
  if (!linux) return undefined;
  const x64 = g.Deno ? g.Deno.build.arch === "x86_64" : g.process?.arch === "x64";
  const { bindLibc } = await import("./connect_batch_libc.ts");
  const libc = await bindLibc(x64 ? 12 : 16);
  if (libc === undefined) return undefined;
  return {
    accepts: (address) => sockaddr(address) !== undefined,
    run: (options) => runBatch(libc, options),
  };
}

/** The libc calls a batch makes (see connect_batch_libc.ts). */
export interface Libc {
  /** A non-blocking TCP socket of the address's family, or -errno. */
  socket(family: number): number;
  /** 0 (connected), or errno (EINPROGRESS 115: under way). */
  connect(fd: number, address: Uint8Array): number;
  /** Watches `fd` for writability with `slot` as its data. */
  watch(epoll: number, fd: number, slot: number): void;
  /** Waits up to `timeoutMs` for events; returns how many, readable with {@link slotOf}. */
  wait(epoll: number, timeoutMs: number): number;
  /** The slot of the `i`th event of the last wait. */
  slotOf(i: number): number;
  /** The socket's pending error (SO_ERROR): 0 when it connected. */
  socketError(fd: number): number;
  /** Whether the socket is connected (it has a peer). */
  connected(fd: number): boolean;
  /** The socket's local port. */
  localPort(fd: number): number;
  close(fd: number): void;
  epollCreate(): number;
}

/** One connect in flight (slots are reused; `fd` is -1 while free). */
interface Slot<T> {
  fd: number;
  task: T;
  started: number;
  /** What connect(2) said: EINPROGRESS, or another errno read after it (see {@link Batch}). */
  errno: number;
  /** Bumped each time the slot is reused, so a stale deadline entry is ignored. */
  generation: number;
}

/**
 * Lets the event loop run (timers, messages, signals), after `ms` milliseconds or, for 0, at
 * once: setImmediate, as a timer of 0 ms costs 1-2 ms (both runtimes clamp nested timers).
 */
function yieldToLoop(ms = 0): Promise<void> {
  return new Promise((resolve) => ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve));
}

async function runBatch<T>(libc: Libc, options: ConnectBatchOptions<T>): Promise<void> {
  const epoll = libc.epollCreate();
  if (epoll < 0) throw new Error(`cannot scan: epoll_create1 failed (errno ${-epoll})`);
  const batch = new Batch(libc, epoll, options);
  try {
    await batch.loop();
  } finally {
    batch.closeAll();
    libc.close(epoll);
  }
}

/** The state of one batch run. */
class Batch<T> {
  readonly #slots: Slot<T>[] = [];
  readonly #free: number[] = [];
  /** Slots in start order (hence deadline order: one timeout for all), with their generation. */
  #deadlineSlots: number[] = [];
  #deadlineGenerations: number[] = [];
  #deadlineHead = 0;
  #inFlight = 0;
  #window: number;
  /** A connect put back for want of a descriptor, and how often that happened to it. */
  #retry: { connect: BatchConnect<T>; tries: number } | undefined;
  #exhausted = false;
  /** The last address's sockaddr (a scan connects to one address many times in a row). */
  #address = "";
  #sockaddr: Uint8Array | undefined;

  constructor(
    readonly libc: Libc,
    readonly epoll: number,
    readonly options: ConnectBatchOptions<T>,
  ) {
    this.#window = Math.max(1, Math.floor(options.window));
  }

  async loop(): Promise<void> {
    let lastYield = performance.now();
    for (;;) {
      const backoff = this.#fill();
      if (this.#inFlight === 0) {
        if (backoff === undefined) return;
        await yieldToLoop(backoff);
        lastYield = performance.now();
        continue;
      }
      const now = performance.now();
      const untilDeadline = this.#nextDeadline() - now;
      const busy = now - lastYield >= SLICE_MS;
      const n = this.libc.wait(
        this.epoll,
        busy ? 0 : Math.max(0, Math.min(SLICE_MS, Math.ceil(untilDeadline))),
      );
      for (let i = 0; i < n; i++) this.#settle(this.libc.slotOf(i));
      this.#expire(performance.now());
      if (n === 0 || performance.now() - lastYield >= SLICE_MS) {
        await yieldToLoop();
        lastYield = performance.now();
      }
    }
  }

  /** Starts connects while the window allows; returns a back-off (ms) when descriptors ran out. */
  #fill(): number | undefined {
    while (this.#inFlight < this.#window) {
      const pending = this.#retry ?? this.#take();
      if (pending === undefined) return undefined;
      this.#retry = undefined;
      const { connect, tries } = pending;
      const address = this.#sockaddrOf(connect.address);
      if (address === undefined) {
        this.options.onOutcome(connect.task, { ok: false, code: "EINVAL", latencyMs: 0 });
        continue;
      }
      const started = performance.now();
      const fd = this.libc.socket(address[0]);
      if (fd === -24 || fd === -23) {
        if (tries >= EMFILE_RETRIES) {
          this.options.onOutcome(connect.task, failure(-fd, performance.now() - started));
          continue;
        }
        // Out of descriptors: a smaller window, and this connect again once one is free.
        this.#window = Math.max(1, Math.min(this.#window, this.#inFlight));
        this.#retry = { connect, tries: tries + 1 };
        return this.#inFlight === 0 ? Math.min(5 + tries * 5, 100) : undefined;
      }
      if (fd < 0) {
        this.options.onOutcome(connect.task, failure(-fd, performance.now() - started));
        continue;
      }
      address[2] = connect.port >> 8;
      address[3] = connect.port & 255;
      const errno = this.libc.connect(fd, address);
      if (errno === 0) this.#connected(fd, connect.task, started);
      else this.#track(fd, connect.task, started, errno);
    }
    return undefined;
  }

  #sockaddrOf(address: string): Uint8Array | undefined {
    if (address !== this.#address || this.#sockaddr === undefined) {
      this.#address = address;
      this.#sockaddr = sockaddr(address);
    }
    return this.#sockaddr;
  }

  #take(): { connect: BatchConnect<T>; tries: number } | undefined {
    if (this.#exhausted || this.options.signal?.aborted) return undefined;
    const connect = this.options.next();
    if (connect === undefined) {
      this.#exhausted = true;
      return undefined;
    }
    return { connect, tries: 0 };
  }

  /**
   * Watches a connect that did not connect at once. Every one is watched, whatever its errno
   * said: errno is read by a second call after connect(2), and a runtime may run code between
   * the two that sets it (Deno's FFI does, rarely). A connect that failed at once shows as a
   * socket without a peer and keeps that errno; one under way gives its answer in SO_ERROR.
   */
  #track(fd: number, task: T, started: number, errno: number): void {
    const index = this.#free.pop() ?? this.#slots.length;
    let slot = this.#slots[index];
    if (slot === undefined) {
      slot = { fd, task, started, errno, generation: 0 };
      this.#slots[index] = slot;
    } else {
      slot.fd = fd;
      slot.task = task;
      slot.started = started;
      slot.errno = errno;
      slot.generation++;
    }
    this.libc.watch(this.epoll, fd, index);
    this.#deadlineSlots.push(index);
    this.#deadlineGenerations.push(slot.generation);
    this.#inFlight++;
  }

  /** Frees a slot; returns its descriptor (its task and start stay readable until reused). */
  #release(slot: Slot<T>, index: number): number {
    const fd = slot.fd;
    slot.fd = -1;
    this.#free.push(index);
    this.#inFlight--;
    return fd;
  }

  #connected(fd: number, task: T, started: number): void {
    const localPort = this.libc.localPort(fd);
    this.libc.close(fd);
    this.options.onOutcome(task, { ok: true, localPort, latencyMs: performance.now() - started });
  }

  #settle(index: number): void {
    const slot = this.#slots[index];
    if (slot === undefined || slot.fd < 0) return;
    const fd = this.#release(slot, index);
    let errno = this.libc.socketError(fd);
    if (errno === 0) {
      if (slot.errno === EINPROGRESS || this.libc.connected(fd)) {
        this.#connected(fd, slot.task, slot.started);
        return;
      }
      errno = slot.errno; // it failed at once
    }
    this.libc.close(fd);
    this.options.onOutcome(slot.task, failure(errno, performance.now() - slot.started));
  }

  #nextDeadline(): number {
    this.#dropStale();
    if (this.#deadlineHead >= this.#deadlineSlots.length) return Infinity;
    return this.#slots[this.#deadlineSlots[this.#deadlineHead]].started + this.options.timeoutMs;
  }

  /** Skips the deadline entries of connects that have settled. */
  #dropStale(): void {
    const slots = this.#deadlineSlots;
    while (this.#deadlineHead < slots.length) {
      const slot = this.#slots[slots[this.#deadlineHead]];
      if (slot.generation === this.#deadlineGenerations[this.#deadlineHead] && slot.fd >= 0) break;
      this.#deadlineHead++;
    }
    if (this.#deadlineHead > 4096 && this.#deadlineHead * 2 > slots.length) {
      this.#deadlineSlots = slots.slice(this.#deadlineHead);
      this.#deadlineGenerations = this.#deadlineGenerations.slice(this.#deadlineHead);
      this.#deadlineHead = 0;
    }
  }

  /** Gives up the connects whose deadline has passed: `ETIMEDOUT`. */
  #expire(now: number): void {
    while (this.#nextDeadline() <= now) {
      const index = this.#deadlineSlots[this.#deadlineHead++];
      const slot = this.#slots[index];
      this.libc.close(this.#release(slot, index));
      this.options.onOutcome(slot.task, {
        ok: false,
        code: "ETIMEDOUT",
        latencyMs: now - slot.started,
      });
    }
  }

  /** Closes the sockets still open (after a failure). */
  closeAll(): void {
    for (const slot of this.#slots) if (slot.fd >= 0) this.libc.close(slot.fd);
  }
}

/**
 * The libc calls of connect_batch.ts through the runtime's foreign-function interface (bun:ffi,
 * or Deno.dlopen where `--allow-ffi` grants it): socket, connect, epoll, getsockopt, getsockname
 * and close, with the buffers they share kept for the thread's lifetime (glibc on Linux only; a
 * system without it has no batcher).
 * @module
 */
import type { Libc } from "./connect_batch.ts";

/** The part of bun:ffi used here. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => number> };
  ptr(view: ArrayBufferView): number;
  read: { i32(pointer: number, offset: number): number };
}

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const EPOLLOUT = 4;
const EPOLL_CTL_ADD = 1;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
/** Events read per epoll_wait. */
const MAX_EVENTS = 1024;

const SYMBOLS = {
  socket: { args: ["i32", "i32", "i32"], returns: "i32" },
  connect: { args: ["i32", "ptr", "u32"], returns: "i32" },
  close: { args: ["i32"], returns: "i32" },
  epoll_create1: { args: ["i32"], returns: "i32" },
  epoll_ctl: { args: ["i32", "i32", "i32", "ptr"], returns: "i32" },
  epoll_wait: { args: ["i32", "ptr", "i32", "i32"], returns: "i32" },
  getsockopt: { args: ["i32", "i32", "i32", "ptr", "ptr"], returns: "i32" },
  getsockname: { args: ["i32", "ptr", "ptr"], returns: "i32" },
  getpeername: { args: ["i32", "ptr", "ptr"], returns: "i32" },
  __errno_location: { args: [], returns: "ptr" },
};

/** The raw calls, as either runtime's FFI gives them (buffers passed as byte arrays). */
interface RawLibc {
  socket(domain: number, type: number, protocol: number): number;
  connect(fd: number, address: Uint8Array, length: number): number;
  close(fd: number): number;
  epoll_create1(flags: number): number;
  epoll_ctl(epoll: number, op: number, fd: number, event: Uint8Array): number;
  epoll_wait(epoll: number, events: Uint8Array, max: number, timeoutMs: number): number;
  getsockopt(
    fd: number,
    level: number,
    name: number,
    value: Uint8Array,
    length: Uint8Array,
  ): number;
  getsockname(fd: number, address: Uint8Array, length: Uint8Array): number;
  getpeername(fd: number, address: Uint8Array, length: Uint8Array): number;
  errno(): number;
}

/**
 * Binds libc for this thread, or undefined when it cannot be loaded (no FFI, no permission for
 * it, no glibc). `eventSize` is the size of struct epoll_event: 12 on x86-64 (packed), 16
 * elsewhere.
 */
export async function bindLibc(eventSize: number): Promise<Libc | undefined> {
  const raw = "Bun" in globalThis ? await bunLibc() : denoLibc();
  return raw && wrap(raw, eventSize);
}

async function bunLibc(): Promise<RawLibc | undefined> {
  const specifier = "bun:ffi"; // not a literal: only Bun has it, and Deno must not resolve it
  const ffi = await import(specifier) as BunFfi;
  let lib;
  try {
    lib = ffi.dlopen("libc.so.6", SYMBOLS);
  } catch {
    return undefined;
  }
  const c = lib.symbols;
  const errnoAt = c.__errno_location();
  // Buffers are a handful reused by the caller for the thread's lifetime: their pointers are kept.
  const pointers = new WeakMap<Uint8Array, number>();
  const p = (bytes: Uint8Array) => {
    let pointer = pointers.get(bytes);
    if (pointer === undefined) pointers.set(bytes, pointer = ffi.ptr(bytes));
    return pointer;
  };
  return {
    socket: (domain, type, protocol) => c.socket(domain, type, protocol),
    connect: (fd, address, length) => c.connect(fd, p(address), length),
    close: (fd) => c.close(fd),
    epoll_create1: (flags) => c.epoll_create1(flags),
    epoll_ctl: (epoll, op, fd, event) => c.epoll_ctl(epoll, op, fd, p(event)),
    epoll_wait: (epoll, events, max, ms) => c.epoll_wait(epoll, p(events), max, ms),
    getsockopt: (fd, level, name, value, length) =>
      c.getsockopt(fd, level, name, p(value), p(length)),
    getsockname: (fd, address, length) => c.getsockname(fd, p(address), p(length)),
    getpeername: (fd, address, length) => c.getpeername(fd, p(address), p(length)),
    errno: () => ffi.read.i32(errnoAt, 0),
  };
}

/** Deno's FFI, only where it is granted already (never a permission prompt). */
function denoLibc(): RawLibc | undefined {
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  if (deno?.permissions?.querySync?.({ name: "ffi" }).state !== "granted") return undefined;
  const buffer = "buffer" as const;
  let lib;
  try {
    lib = deno.dlopen(
      "libc.so.6",
      {
        socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
        connect: { parameters: ["i32", buffer, "u32"], result: "i32" },
        close: { parameters: ["i32"], result: "i32" },
        epoll_create1: { parameters: ["i32"], result: "i32" },
        epoll_ctl: { parameters: ["i32", "i32", "i32", buffer], result: "i32" },
        epoll_wait: { parameters: ["i32", buffer, "i32", "i32"], result: "i32" },
        getsockopt: { parameters: ["i32", "i32", "i32", buffer, buffer], result: "i32" },
        getsockname: { parameters: ["i32", buffer, buffer], result: "i32" },
        getpeername: { parameters: ["i32", buffer, buffer], result: "i32" },
        __errno_location: { parameters: [], result: "pointer" },
      } as const,
    );
  } catch {
    return undefined;
  }
  const c = lib.symbols;
  const errnoAt = c.__errno_location();
  if (errnoAt === null) return undefined;
  const errno = new deno.UnsafePointerView(errnoAt);
  return {
    socket: c.socket,
    connect: c.connect,
    close: c.close,
    epoll_create1: c.epoll_create1,
    epoll_ctl: c.epoll_ctl,
    epoll_wait: c.epoll_wait,
    getsockopt: c.getsockopt,
    getsockname: c.getsockname,
    getpeername: c.getpeername,
    errno: () => errno.getInt32(0),
  };
}

/** The calls connect_batch.ts makes, over the raw ones. */
function wrap(c: RawLibc, eventSize: number): Libc {
  const dataOffset = eventSize === 12 ? 4 : 8;
  const event = new Uint8Array(eventSize);
  const eventView = new DataView(event.buffer);
  const events = new Uint8Array(eventSize * MAX_EVENTS);
  const eventsView = new DataView(events.buffer);
  const int = new Uint8Array(4);
  const intView = new DataView(int.buffer);
  const length = new Uint8Array(4);
  const lengthView = new DataView(length.buffer);
  const local = new Uint8Array(28);
  return {
    socket(family) {
      const fd = c.socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      return fd < 0 ? -c.errno() : fd;
    },
    connect(fd, address) {
      return c.connect(fd, address, address[0] === AF_INET ? 16 : 28) === 0 ? 0 : c.errno();
    },
    watch(epoll, fd, slot) {
      eventView.setUint32(0, EPOLLOUT, true);
      eventView.setUint32(dataOffset, slot, true);
      eventView.setUint32(dataOffset + 4, 0, true);
      if (c.epoll_ctl(epoll, EPOLL_CTL_ADD, fd, event) !== 0) {
        throw new Error(`cannot watch a probe socket: epoll_ctl failed (errno ${c.errno()})`);
      }
    },
    wait(epoll, timeoutMs) {
      const n = c.epoll_wait(epoll, events, MAX_EVENTS, timeoutMs);
      return n < 0 ? 0 : n; // EINTR: nothing this time
    },
    slotOf: (i) => eventsView.getUint32(i * eventSize + dataOffset, true),
    socketError(fd) {
      lengthView.setUint32(0, 4, true);
      return c.getsockopt(fd, SOL_SOCKET, SO_ERROR, int, length) === 0
        ? intView.getInt32(0, true)
        : c.errno();
    },
    connected(fd) {
      lengthView.setUint32(0, local.length, true);
      return c.getpeername(fd, local, length) === 0;
    },
    localPort(fd) {
      lengthView.setUint32(0, local.length, true);
      if (c.getsockname(fd, local, length) !== 0) return 0;
      return (local[2] << 8) | local[3];
    },
    close: (fd) => void c.close(fd),
    epollCreate() {
      const fd = c.epoll_create1(SOCK_CLOEXEC);
      return fd < 0 ? -c.errno() : fd;
    },
  };
}

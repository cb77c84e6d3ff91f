/**
 * The Bun floor of bench_scan: what a full-range connect scan costs on Bun with the least code,
 * the C floor (connect_scan.c) written over bun:ffi. The same calls (socket, connect, epoll_ctl,
 * epoll_wait, getsockopt, close through libc), the same split (one thread per half of the range,
 * 512 connects in flight each), the same rule (a loopback connect that meets itself is not
 * open) and the same output ("PORT open" per open port). It blocks each
 * thread in epoll_wait and never returns to the event loop until its half is done. Linux/glibc,
 * compiled by bench_scan with `bun build --compile` (JavaScript, not TypeScript: `deno check
 * scripts` does not know bun:ffi). Usage: connect_scan_bun HOST FIRST LAST.
 * @module
 */
import { dlopen, FFIType } from "bun:ffi";

const { i32, u32, ptr } = FFIType;
const libc = dlopen("libc.so.6", {
  socket: { args: [i32, i32, i32], returns: i32 },
  connect: { args: [i32, ptr, u32], returns: i32 },
  close: { args: [i32], returns: i32 },
  epoll_create1: { args: [i32], returns: i32 },
  epoll_ctl: { args: [i32, i32, i32, ptr], returns: i32 },
  epoll_wait: { args: [i32, ptr, i32, i32], returns: i32 },
  getsockopt: { args: [i32, i32, i32, ptr, ptr], returns: i32 },
  getsockname: { args: [i32, ptr, ptr], returns: i32 },
}).symbols;

const SOCK_STREAM_NONBLOCK = 1 | 0o4000;
const EPOLLOUT = 4;
const WINDOW = 512;

/** Scans ports `first`..`last` of the IPv4 `host`; returns the open ones. */
function scan(host, first, last) {
  const addr = new Uint8Array(16);
  addr[0] = 2; // AF_INET
  addr.set(host.split(".").map(Number), 4);
  const epoll = libc.epoll_create1(0);
  const event = new Uint8Array(12);
  const ev = new DataView(event.buffer);
  const events = new Uint8Array(12 * WINDOW);
  const evs = new DataView(events.buffer);
  const value = new Int32Array(1);
  const length = new Uint32Array(1);
  const local = new Uint8Array(16);
  const portOf = new Int32Array(65536);
  const open = [];
  let next = first, inFlight = 0;
  while (next <= last || inFlight > 0) {
    for (; inFlight < WINDOW && next <= last; next++) {
      const fd = libc.socket(2, SOCK_STREAM_NONBLOCK, 0);
      addr[2] = next >> 8;
      addr[3] = next & 255;
      libc.connect(fd, addr, 16);
      portOf[fd] = next;
      ev.setUint32(0, EPOLLOUT, true);
      ev.setUint32(4, fd, true);
      libc.epoll_ctl(epoll, 1, fd, event);
      inFlight++;
    }
    const n = libc.epoll_wait(epoll, events, WINDOW, 1000);
    for (let i = 0; i < n; i++) {
      const fd = evs.getUint32(i * 12 + 4, true);
      length[0] = 4;
      libc.getsockopt(fd, 1, 4, value, length); // SOL_SOCKET, SO_ERROR
      // Open, unless the connect met itself (source port = destination port on loopback).
      if (value[0] === 0) {
        length[0] = 16;
        libc.getsockname(fd, local, length);
        if (((local[2] << 8) | local[3]) !== portOf[fd]) open.push(portOf[fd]);
      }
      libc.close(fd);
      inFlight--;
    }
  }
  return open;
}

if (!Bun.isMainThread) {
  self.onmessage = (e) => self.postMessage(scan(...e.data));
} else {
  const [host, first, last] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  const middle = Math.floor((first + last) / 2);
  const worker = new Worker(import.meta.url);
  const theirs = new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
  worker.postMessage([host, middle + 1, last]);
  const mine = scan(host, first, middle);
  const all = [...mine, ...await theirs].sort((a, b) => a - b);
  worker.terminate();
  await Bun.write(Bun.stdout, all.map((p) => `${p} open\n`).join(""));
}

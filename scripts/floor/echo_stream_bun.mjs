/**
 * The Bun floor of bench_echo's bulk run: what a full-duplex echo stream costs on Bun with the
 * least code, through Bun.listen / Bun.connect as the binary's adapter uses them.
 *
 *   echo_stream_bun serve PORT              echo every byte back (127.0.0.1), until killed
 *   echo_stream_bun test HOST PORT TOTAL    write TOTAL bytes of a pattern in 128 KiB writes
 *                                           while reading them back, every byte compared;
 *                                           prints {"bytesPerSecond": N} (exit 1 on a mismatch)
 *
 * No statistics, no timeouts: the server stops reading while the kernel has not taken an echo
 * (as netdiag's server does), the client never stops reading. Compiled by bench_echo with
 * `bun build --compile`, as the binary is (JavaScript: `deno check scripts` does not know Bun's
 * globals).
 * @module
 */
const [mode, ...args] = process.argv.slice(2);
const WRITE_BYTES = 131072;
const PATTERN_BYTES = 65536;

if (mode === "serve") {
  /** Writes what waits; pauses reading while some does (as netdiag's server does), ends last. */
  const flush = (socket) => {
    const state = socket.data;
    while (state.queue.length > 0) {
      const n = socket.write(state.queue[0]);
      if (n < state.queue[0].length) {
        state.queue[0] = state.queue[0].subarray(Math.max(n, 0));
        socket.pause();
        return;
      }
      state.queue.shift();
    }
    socket.resume();
    if (state.ended) socket.end();
  };
  Bun.listen({
    hostname: "127.0.0.1",
    port: Number(args[0]),
    socket: {
      open(socket) {
        socket.data = { queue: [], ended: false };
      },
      data(socket, chunk) {
        socket.data.queue.push(chunk);
        if (socket.data.queue.length === 1) flush(socket);
      },
      drain: flush,
      end(socket) {
        socket.data.ended = true;
        if (socket.data.queue.length === 0) socket.end();
      },
    },
  });
} else if (mode === "test") {
  const [host, port, totalText] = args;
  const total = Number(totalText);
  // A pattern twice as long as a write, so that any window of it is contiguous.
  const pattern = new Uint8Array(PATTERN_BYTES + WRITE_BYTES);
  crypto.getRandomValues(pattern.subarray(0, PATTERN_BYTES));
  for (let i = PATTERN_BYTES; i < pattern.length; i++) pattern[i] = pattern[i - PATTERN_BYTES];
  let sent = 0;
  let received = 0;
  let pending;
  const done = Promise.withResolvers();
  const started = performance.now();
  const pump = (socket) => {
    for (;;) {
      if (pending) {
        const n = socket.write(pending);
        if (n < pending.length) {
          pending = pending.subarray(Math.max(n, 0));
          return;
        }
        pending = undefined;
      }
      if (sent >= total) {
        socket.shutdown();
        return;
      }
      const n = Math.min(WRITE_BYTES, total - sent);
      const at = sent % PATTERN_BYTES;
      pending = pattern.subarray(at, at + n);
      sent += n;
    }
  };
  await Bun.connect({
    hostname: host,
    port: Number(port),
    socket: {
      open: pump,
      drain: pump,
      data(socket, chunk) {
        for (let at = 0; at < chunk.length; at += PATTERN_BYTES) {
          const got = chunk.subarray(at, at + PATTERN_BYTES);
          const from = (received + at) % PATTERN_BYTES;
          if (!Buffer.from(pattern.buffer, from, got.length).equals(got)) {
            console.error(`echo_stream_bun: byte mismatch within ${received + at}`);
            process.exit(1);
          }
        }
        received += chunk.length;
        if (received >= total) {
          socket.end();
          done.resolve();
        }
      },
      close() {
        if (received < total) done.reject(new Error(`closed after ${received} of ${total} bytes`));
      },
    },
  });
  await done.promise;
  console.log(JSON.stringify({ bytesPerSecond: total / ((performance.now() - started) / 1000) }));
} else {
  console.error("usage: echo_stream_bun serve PORT | test HOST PORT TOTAL");
  process.exit(2);
}

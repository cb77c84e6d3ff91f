/**
 * `netdiag listen`: accept clients (or datagrams) and relay them to stdout, stdin back.
 * @module
 */
import { InputError, OperationalError, quote } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import {
  type Connection,
  type Endpoint,
  formatAddress,
  type Listener,
  netAdapter,
  NetError,
} from "../net/mod.ts";
import { lookupBindHost } from "../net/host_lookup.ts";
import { diagnostic } from "../output/emit.ts";
import { escapeTerminal } from "../core/terminal_text.ts";
import { formatByteCount, formatMs } from "../output/views/transfer_view.ts";
import { onShutdownSignal } from "../runtime/signals.ts";
import { closingLine, endWith, MAX_DATAGRAM } from "./connect_run.ts";
import type { NetdiagContext } from "./context.ts";
import { peerLabel } from "./dial.ts";
import type { ListenFlags } from "./listen.ts";
import { type InputSource, relayConnection, type Sink, stdoutSink, streamSource } from "./relay.ts";

/** Runs `netdiag listen`. */
export default async function listen(
  this: NetdiagContext,
  flags: ListenFlags,
  port?: number,
): Promise<void> {
  if (flags.unix !== undefined) {
    if (port !== undefined) {
      throw new InputError(
        `unexpected ${quote(port)}: --unix takes the socket path instead of PORT`,
      );
    }
    if (flags.udp) throw new InputError('conflicting flags "--unix" and "--udp": choose one');
  } else if (port === undefined) {
    throw new InputError("missing port: expected PORT (0 picks a free one), or --unix PATH");
  }
  // What netdiag says about the peer on stderr (a Unix client's own socket path, …) is escaped;
  // the peer's bytes on stdout are the user's to see raw.
  const report = (line: string) => flags.quiet || diagnostic(this, escapeTerminal(line));
  const input = streamSource(this.io.stdin());
  const output = stdoutSink(this.io, flags.hex ?? false);
  const adapter = await netAdapter();
  const stop = new AbortController();
  const removeSignals = onShutdownSignal(() => stop.abort());
  try {
    flags = { ...flags, host: await lookupBindHost(flags.host) };
    if (flags.udp) {
      await serveDatagrams(flags, port!, input, output, report, stop.signal);
      this.process.exitCode = ExitCode.Ok;
      return;
    }
    const listener = await adapter.listen(
      flags.unix !== undefined
        ? { transport: "unix", path: flags.unix }
        : { transport: "tcp", hostname: flags.host, port: port! },
    );
    try {
      report(`listening on ${formatAddress(listener.addr)}`);
      await serveStreams(this, listener, flags, input, output, report, stop.signal);
    } finally {
      listener.close();
    }
  } catch (error) {
    if (error instanceof NetError) throw new OperationalError(error.message, { cause: error });
    throw error;
  } finally {
    removeSignals();
  }
}

async function serveStreams(
  context: NetdiagContext,
  listener: Listener,
  flags: ListenFlags,
  input: InputSource,
  output: Sink,
  report: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const onStop = () => listener.close();
  signal.addEventListener("abort", onStop, { once: true });
  try {
    for (;;) {
      let conn: Connection;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
      const peer = peerLabel(conn.remoteAddr);
      report(`connection from ${peer}`);
      const stats = await relayConnection(conn, input, output, {
        idleTimeoutMs: flags.idleTimeout,
        signal,
        // A shared stdin (--keep-open) is not held for one client after it has left.
        drainInput: !flags.keepOpen && !context.io.isTerminal("stdin"),
      });
      report(closingLine(stats));
      if (signal.aborted) return;
      if (!flags.keepOpen) return endWith(context, stats, peer, flags.idleTimeout);
    }
  } finally {
    signal.removeEventListener("abort", onStop);
  }
}

async function serveDatagrams(
  flags: ListenFlags,
  port: number,
  input: InputSource,
  output: Sink,
  report: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const adapter = await netAdapter();
  const socket = await adapter.bindDatagram({ hostname: flags.host, port });
  report(`listening on ${formatAddress(socket.addr)} (udp)`);
  const started = performance.now();
  let sent = 0;
  let received = 0;
  let last: Endpoint | undefined;
  let firstSender: (() => void) | undefined;
  const known = new Promise<void>((resolve) => (firstSender = resolve));
  const idle = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    if (!flags.keepOpen) timer = setTimeout(() => idle.abort(), flags.idleTimeout);
  };
  const done = AbortSignal.any([signal, idle.signal]);
  const writer = (async () => {
    await known;
    for (;;) {
      const chunk = await input.peek();
      input.consume();
      if (chunk === null || done.aborted) return;
      for (let off = 0; off < chunk.length; off += MAX_DATAGRAM) {
        const piece = chunk.subarray(off, off + MAX_DATAGRAM);
        try {
          await socket.send(piece, last);
          sent += piece.length;
        } catch (error) {
          report(error instanceof NetError ? error.message : String(error));
        }
      }
      touch();
    }
  })();
  try {
    for (;;) {
      const d = await socket.receive(done);
      const from = formatAddress(d.from);
      if (!last || formatAddress(last) !== from) report(`datagram from ${from}`);
      last = d.from;
      firstSender?.();
      received += d.data.length;
      touch();
      await output(d.data);
    }
  } catch (error) {
    if (!(error instanceof NetError && (error.code === "ABORTED" || error.code === "CLOSED"))) {
      throw error;
    }
  } finally {
    clearTimeout(timer);
    socket.close();
    void writer;
  }
  report(
    `done: sent ${formatByteCount(sent)}, received ${formatByteCount(received)} in ` +
      `${formatMs(performance.now() - started)}`,
  );
}

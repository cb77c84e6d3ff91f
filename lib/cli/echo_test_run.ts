/**
 * `netdiag echo test`: measure an echo server and verify every byte.
 * @module
 */
import { InputError, NegativeError, OperationalError, quote } from "../core/errors.ts";
import { MAX_UDP_PAYLOAD, parseHostPort, UDP_SEQUENCE_BYTES } from "../core/echo_test.ts";
import { escapeTerminal } from "../core/terminal_text.ts";
import { type EchoTarget, runEchoTest } from "../echo/client.ts";
import { netAdapter } from "../net/mod.ts";
import { diagnostic, emitResult } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { echoTestView } from "../output/views/echo_view.ts";
import { onShutdownSignal } from "../runtime/signals.ts";
import type { NetdiagContext } from "./context.ts";
import type { EchoTestFlags } from "./echo.ts";

/** Runs `netdiag echo test`. */
export default async function echoTest(
  this: NetdiagContext,
  flags: EchoTestFlags,
  targetText?: string,
): Promise<void> {
  const format = outputFormat(flags);
  const target = resolveTarget(flags, targetText);
  checkFlags(flags, target);
  const adapter = await netAdapter();
  const stop = new AbortController();
  const removeSignals = onShutdownSignal(() => stop.abort());
  let result;
  try {
    result = await runEchoTest(adapter, {
      target,
      framed: flags.framed,
      stream: flags.stream,
      count: flags.count,
      durationMs: flags.duration,
      size: flags.size,
      totalBytes: flags.total,
      connections: flags.connections,
      intervalMs: flags.interval,
      timeoutMs: flags.timeout,
      signal: stop.signal,
    });
  } finally {
    removeSignals();
  }
  // Nothing got through at all: a plain one-line error is clearer than an empty report.
  if (result.error && result.messagesSent === 0 && result.bytesSent === 0) {
    const cause = escapeTerminal(result.error);
    if (/: refused$/.test(cause)) throw new NegativeError(cause);
    throw new OperationalError(cause);
  }
  emitResult(this, format, result, echoTestView);
  if (result.mismatch) {
    const m = result.mismatch;
    diagnostic(
      this,
      `netdiag: echo mismatch: connection ${m.connection}, ${
        result.pattern === "stream" ? "read" : "message"
      } ${m.message}, first difference at byte offset ${m.offset}`,
    );
  } else if (result.error) {
    // The server's own words (an error frame) may hold anything: never raw on the terminal.
    diagnostic(this, `netdiag: ${escapeTerminal(result.error)}`);
  }
}

function resolveTarget(flags: EchoTestFlags, text: string | undefined): EchoTarget {
  if (flags.unix !== undefined) {
    if (text !== undefined) {
      throw new InputError(
        `unexpected ${quote(text)}: --unix takes the socket path instead of TARGET`,
      );
    }
    if (flags.udp) throw new InputError('conflicting flags "--unix" and "--udp": choose one');
    return { transport: "unix", path: flags.unix };
  }
  if (text === undefined) {
    throw new InputError("missing target: expected HOST:PORT, [IPv6]:PORT or PORT, or --unix PATH");
  }
  const { hostname, port } = parseHostPort(text);
  return { transport: flags.udp ? "udp" : "tcp", hostname, port };
}

function checkFlags(flags: EchoTestFlags, target: EchoTarget): void {
  if (flags.stream) {
    if (target.transport === "udp") {
      throw new InputError('conflicting flags "--stream" and "--udp": streaming needs TCP or Unix');
    }
    if (flags.framed) {
      throw new InputError('conflicting flags "--stream" and "--framed": --stream is plain bytes');
    }
    if (flags.interval !== undefined) {
      throw new InputError('conflicting flags "--stream" and "--interval": --stream never pauses');
    }
  } else if (flags.total !== undefined) {
    throw new InputError('"--total" applies to --stream only; use --count for messages');
  }
  if (target.transport === "udp") {
    const size = flags.size ?? 64;
    if (size < UDP_SEQUENCE_BYTES) {
      throw new InputError(
        `size ${quote(size)} is too small for UDP: payloads carry an ${UDP_SEQUENCE_BYTES}-byte ` +
          "sequence number, so --size must be at least 8",
      );
    }
    const limit = MAX_UDP_PAYLOAD - (flags.framed ? 64 : 0);
    if (size > limit) {
      throw new InputError(`size ${quote(size)} is too big for one UDP datagram: at most ${limit}`);
    }
  }
}

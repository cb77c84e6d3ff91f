/**
 * `netdiag echo test`: measure an echo server and verify every byte.
 * @module
 */
import { endpointWithUnixFlag } from "../../../core/endpoint.ts";
import { maxUdpMessageSize, UDP_SEQUENCE_BYTES } from "../../../core/echo_test.ts";
import { InputError, quote } from "../../../core/errors.ts";
import { escapeTerminal } from "../../../core/terminal_text.ts";
import { type EchoTarget, type EchoTestOptions, runEchoTest } from "../../../echo/mod.ts";
import { netAdapter } from "../../../net/mod.ts";
import { openDocumentStream } from "../../../output/document_emit.ts";
import { diagnostic } from "../../../output/emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { echoTestView } from "../../../output/views/echo_view.ts";
import { interruptible } from "../../interrupt.ts";
import type { NetdiagContext } from "../../context.ts";
import { netFailure } from "../../exit.ts";

/** The flags of `netdiag echo test`. */
export interface EchoTestFlags {
  readonly tcp?: boolean;
  readonly udp?: boolean;
  readonly unix?: string;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
  readonly count?: number;
  readonly size?: number;
  readonly duration?: number;
  readonly connections: number;
  readonly interval?: number;
  readonly framed?: boolean;
  readonly stream?: boolean;
  readonly total?: number;
  readonly timeout?: number;
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/** Runs `netdiag echo test`. */
export async function echoTestCommand(
  this: NetdiagContext,
  flags: EchoTestFlags,
  ...operands: string[]
): Promise<void> {
  const format = outputFormat(flags);
  const target = resolveTarget(flags, operands);
  checkValues(flags, target);
  const adapter = await netAdapter();
  const stop = interruptible(this.io);
  const out = openDocumentStream(this, format, echoTestView);
  let result;
  try {
    result = await runEchoTest(adapter, testOptions(flags, target), {
      onConnection: (connection) => out.item(connection),
    }, stop.signal);
  } finally {
    stop.remove();
  }
  // Nothing got through at all: a plain one-line error is clearer than an empty report.
  if (result.error && result.messagesSent === 0 && result.bytesSent === 0) {
    throw netFailure(escapeTerminal(result.error), result.errorCode);
  }
  const { interrupted, ...summary } = result;
  out.end(summary, interrupted === true);
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

/** The engine's options from the flags. */
function testOptions(flags: EchoTestFlags, target: EchoTarget): EchoTestOptions {
  return {
    target,
    family: flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined,
    framed: flags.framed,
    stream: flags.stream,
    count: flags.count,
    durationMs: flags.duration,
    size: flags.size,
    totalBytes: flags.total,
    connections: flags.connections,
    intervalMs: flags.interval,
    timeoutMs: flags.timeout,
  };
}

/** TARGET (docs/endpoints.md) or --unix PATH (--unix with --udp is a declared conflict). */
function resolveTarget(flags: EchoTestFlags, operands: readonly string[]): EchoTarget {
  const target = endpointWithUnixFlag(operands, flags.unix, { defaultHost: "127.0.0.1" });
  if (target.kind === "ip") {
    const hostname = target.host ?? "127.0.0.1";
    return { transport: flags.udp ? "udp" : "tcp", hostname, port: target.port };
  }
  const other = flags.udp ? "--udp" : flags.ipv4 ? "--ipv4" : flags.ipv6 ? "--ipv6" : undefined;
  if (other) {
    throw new InputError(`${quote(other)} does not apply to the Unix socket ${quote(target.path)}`);
  }
  return { transport: "unix", path: target.path };
}

/**
 * The rules on values, which a list of conflicting flags cannot say: --total needs --stream,
 * and a UDP payload must hold the sequence header and fit in one datagram.
 */
function checkValues(flags: EchoTestFlags, target: EchoTarget): void {
  if (!flags.stream && flags.total !== undefined) {
    throw new InputError('"--total" applies to --stream only; use --count for messages');
  }
  if (target.transport !== "udp") return;
  const size = flags.size ?? 64;
  if (size < UDP_SEQUENCE_BYTES) {
    throw new InputError(
      `size ${quote(size)} is too small for UDP: payloads carry an ${UDP_SEQUENCE_BYTES}-byte ` +
        "sequence number, so --size must be at least 8",
    );
  }
  const limit = maxUdpMessageSize(flags.framed ?? false);
  if (size > limit) {
    throw new InputError(`size ${quote(size)} is too big for one UDP datagram: at most ${limit}`);
  }
}

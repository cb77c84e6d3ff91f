/**
 * `netdiag connect`: resolve, connect (trying each address), relay stdin/stdout, report.
 * @module
 */
import { stat } from "node:fs/promises";
import { InputError, NegativeError, OperationalError, quote } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import { parsePort } from "../core/parse_number.ts";
import { lookupHost } from "../net/host_lookup.ts";
import { type DatagramSocket, formatAddress, netAdapter, NetError } from "../net/mod.ts";
import { dialStream } from "./dial.ts";
import { diagnostic } from "../output/emit.ts";
import { escapeTerminal } from "../core/terminal_text.ts";
import {
  formatByteCount,
  formatDurationSetting as formatDurationMs,
  formatMs,
} from "../output/views/transfer_view.ts";
import type { ConnectFlags } from "./connect.ts";
import type { NetdiagContext } from "./context.ts";
import {
  bytesSource,
  fileSource,
  type InputSource,
  relayConnection,
  type RelayStats,
  type Sink,
  stdoutSink,
  streamSource,
} from "./relay.ts";

const TCP_IDLE_DEFAULT_MS = 5 * 60_000;
const UDP_IDLE_DEFAULT_MS = 2_000;
/** The largest UDP payload over IPv4; longer input is cut into datagrams of this size. */
export const MAX_DATAGRAM = 65_507;

/** Runs `netdiag connect`. */
export default async function connect(
  this: NetdiagContext,
  given: ConnectFlags,
  ...args: string[]
): Promise<void> {
  const { flags, host, port } = splitArguments(given, args);
  const target = checkTarget(flags, host, port);
  const input = await inputFor(this, flags);
  const output = stdoutSink(this.io, flags.hex ?? false);
  // What netdiag says about the peer on stderr (a Unix client's own socket path, …) is escaped;
  // the peer's bytes on stdout are the user's to see raw.
  const report = (line: string) => flags.quiet || diagnostic(this, escapeTerminal(line));
  const family = flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined;
  const adapter = await netAdapter();

  if (flags.udp) {
    const addresses = await lookupHost(target.host!, { family });
    const address = addresses[0].address;
    const remote = formatAddress({ hostname: address, port: target.port! });
    const socket = await adapter.bindDatagram({
      hostname: address.includes(":") ? "::" : "0.0.0.0",
      port: 0,
      connect: { hostname: address, port: target.port! },
    });
    const shown = addresses.length > 1 || remote.split(":")[0] !== target.host
      ? `${target.host} (${remote}${
        addresses.length > 1 ? `, 1 of ${addresses.length} addresses` : ""
      })`
      : remote;
    report(`udp to ${shown} from ${formatAddress(socket.addr)}`);
    const stats = await relayDatagrams(socket, input, output, {
      idleTimeoutMs: flags.idleTimeout ?? UDP_IDLE_DEFAULT_MS,
      remote,
    });
    report(
      `done: sent ${formatByteCount(stats.sent)}, received ` +
        `${formatByteCount(stats.received)} in ${formatMs(stats.ms)}`,
    );
    return;
  }

  const { conn, label, ms } = await dialStream(
    adapter,
    target.unix !== undefined
      ? { unix: target.unix }
      : { host: target.host!, port: target.port!, family },
    flags.timeout,
    (address, why) => report(`${address}: ${why}`),
  );
  report(`connected to ${label} in ${formatMs(ms)}`);
  const stats = await relayConnection(conn, input, output, {
    idleTimeoutMs: flags.idleTimeout ?? TCP_IDLE_DEFAULT_MS,
    drainInput: !flags.send && !flags.sendFile ? !this.io.isTerminal("stdin") : true,
  });
  report(closingLine(stats));
  endWith(this, stats, label, flags.idleTimeout ?? TCP_IDLE_DEFAULT_MS);
}

/** The report line at the end of a stream relay. */
export function closingLine(stats: RelayStats): string {
  const how = stats.end === "peer"
    ? "closed"
    : stats.end === "idle"
    ? "closed (idle)"
    : stats.end === "stopped"
    ? "closed (stopped)"
    : "broken";
  return `${how}: sent ${formatByteCount(stats.sent)}, received ` +
    `${formatByteCount(stats.received)} in ${formatMs(stats.ms)}`;
}

/** Sets the exit code (or throws) for how a relay ended. */
export function endWith(
  context: NetdiagContext,
  stats: RelayStats,
  label: string,
  idleMs: number,
): void {
  if (stats.end === "idle") {
    throw new OperationalError(
      `connection to ${quote(label)}: idle for ${formatDurationMs(idleMs)}`,
    );
  }
  if (stats.end === "error") {
    const e = stats.error;
    throw new OperationalError(
      e instanceof NetError ? e.message : `connection ${quote(label)}: ${e}`,
      {
        cause: e,
      },
    );
  }
  context.process.exitCode = ExitCode.Ok;
}

/** Splits the positionals into HOST and PORT (`-4` / `-6` arrive as `--ipv4` / `--ipv6`). */
function splitArguments(flags: ConnectFlags, args: string[]) {
  if (args.length > 2) {
    throw new InputError(`unexpected ${quote(args[2])}: expected HOST PORT`);
  }
  const [host, portText] = args;
  return { flags, host, port: portText === undefined ? undefined : parsePort(portText) };
}

function checkTarget(flags: ConnectFlags, host?: string, port?: number) {
  if (flags.ipv4 && flags.ipv6) {
    throw new InputError('conflicting flags "--ipv4" and "--ipv6": choose one');
  }
  if (flags.send !== undefined && flags.sendFile !== undefined) {
    throw new InputError('conflicting flags "--send" and "--send-file": choose one');
  }
  if (flags.unix !== undefined) {
    if (host !== undefined) {
      throw new InputError(
        `unexpected ${quote(host)}: --unix takes the socket path instead of HOST PORT`,
      );
    }
    if (flags.udp) throw new InputError('conflicting flags "--unix" and "--udp": choose one');
    if (flags.ipv4 || flags.ipv6) {
      throw new InputError('"--ipv4" and "--ipv6" do not apply to "--unix"');
    }
    return { unix: flags.unix };
  }
  if (host === undefined || port === undefined) {
    throw new InputError(
      host === undefined
        ? "missing target: expected HOST PORT, or --unix PATH"
        : `missing port after ${quote(host)}: expected HOST PORT`,
    );
  }
  return { host, port };
}

async function inputFor(context: NetdiagContext, flags: ConnectFlags): Promise<InputSource> {
  if (flags.send !== undefined) return bytesSource(flags.send);
  if (flags.sendFile !== undefined) {
    const info = await stat(flags.sendFile).catch(() => undefined);
    if (!info?.isFile()) {
      throw new InputError(`cannot read ${quote(flags.sendFile)}: not a readable file`);
    }
    return fileSource(flags.sendFile);
  }
  return streamSource(context.io.stdin());
}

/** Options of {@link relayDatagrams}. */
interface DatagramRelayOptions {
  /** After the input ends, wait this long without a datagram, then finish. */
  readonly idleTimeoutMs: number;
  /** The peer, for messages. */
  readonly remote: string;
}

async function relayDatagrams(
  socket: DatagramSocket,
  input: InputSource,
  output: Sink,
  options: DatagramRelayOptions,
): Promise<RelayStats> {
  const started = performance.now();
  let sent = 0;
  let received = 0;
  let inputEnded = false;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopReading = new AbortController();
  const touch = () => {
    clearTimeout(timer);
    if (inputEnded && !finished) {
      timer = setTimeout(() => stopReading.abort(), options.idleTimeoutMs);
    }
  };
  let sendError: unknown;
  const writer = (async () => {
    try {
      for (;;) {
        const chunk = await input.peek();
        input.consume();
        if (chunk === null || finished) break;
        for (let off = 0; off < chunk.length; off += MAX_DATAGRAM) {
          const piece = chunk.subarray(off, off + MAX_DATAGRAM);
          await socket.send(piece);
          sent += piece.length;
        }
      }
    } catch (error) {
      sendError = error;
      stopReading.abort();
    }
    inputEnded = true;
    touch();
  })();
  let error: unknown;
  try {
    for (;;) {
      const d = await socket.receive(stopReading.signal);
      received += d.data.length;
      touch();
      await output(d.data);
    }
  } catch (e) {
    if (!(e instanceof NetError && e.code === "ABORTED")) error = e;
  }
  finished = true;
  clearTimeout(timer);
  socket.close();
  void writer;
  const failure = error ?? sendError;
  if (failure instanceof NetError && failure.code === "ECONNREFUSED") {
    throw new NegativeError(
      `cannot connect to ${quote(options.remote)}: refused (ICMP port unreachable)`,
      { cause: failure },
    );
  }
  if (failure !== undefined) {
    throw new OperationalError(
      failure instanceof NetError ? failure.message : `udp ${quote(options.remote)}: ${failure}`,
      { cause: failure },
    );
  }
  return { sent, received, ms: performance.now() - started, end: "peer" };
}

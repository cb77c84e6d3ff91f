/**
 * `netdiag listen`: flags → listen options, stdin/stdout wiring, SIGINT/SIGTERM as the stop
 * signal, the reports on stderr (human lines, or with `--json` the document).
 * @module
 */
import { serverEndpoint } from "../../../core/endpoint.ts";
import { InputError, quote } from "../../../core/errors.ts";
import { escapeTerminal } from "../../../core/terminal_text.ts";
import { netAdapter } from "../../../net/mod.ts";
import { diagnostic } from "../../../output/emit.ts";
import {
  listen,
  type ListenResult,
  type ListenSession,
  type ListenTarget,
  streamSource,
} from "../../../relay/mod.ts";
import { interruptible } from "../../interrupt.ts";
import type { NetdiagContext } from "../../context.ts";
import { commandError, finish, streamFailure } from "../connect/outcome.ts";
import { closingLine, formatRelayAddress, trafficText } from "../connect/report.ts";
import { stdoutSink } from "../connect/stdio.ts";
import type { ListenFlags } from "./definition.ts";
import { listenParts } from "./record.ts";

/** Runs `netdiag listen`. */
export async function listenCommand(
  this: NetdiagContext,
  flags: ListenFlags,
  ...operands: string[]
): Promise<void> {
  const target = listenTarget(flags, operands);
  const udp = target.transport === "udp";
  // What netdiag says about a client (a Unix client's own socket path, …) is escaped; the
  // client's bytes on stdout are the user's to see raw.
  const tell = (line: string) => flags.quiet || diagnostic(this, escapeTerminal(line));
  const say = (line: string) => flags.json || tell(line);
  const sessions: ListenSession[] = [];
  const adapter = await netAdapter();
  const stop = interruptible(this.io);
  let result: ListenResult;
  try {
    result = await listen(adapter, {
      ...target,
      input: streamSource(this.io.stdin()),
      keepOpen: flags.keepOpen ?? false,
      idleTimeoutMs: flags.idleTimeout,
      drainInput: !this.io.isTerminal("stdin"),
    }, {
      onListening: (a) => tell(`listening on ${formatRelayAddress(a)}${udp ? " (udp)" : ""}`),
      onClient: (peer) =>
        say(`${udp ? "datagram" : "connection"} from ${formatRelayAddress(peer)}`),
      onSession: (session) => {
        if (!udp) say(closingLine(session));
        if (flags.json) sessions.push(session);
      },
      onData: stdoutSink(this.io, flags.hex ?? false),
      onWarning: say,
    }, stop.signal);
  } catch (error) {
    throw commandError(error);
  } finally {
    stop.remove();
  }
  if (udp) say(`done: ${trafficText(result)}`);
  const last = result.last;
  const failure = last && !flags.keepOpen && !result.stopped
    ? streamFailure(last, formatRelayAddress(last.peer), flags.idleTimeout)
    : undefined;
  finish(this, flags, "listen", listenParts(result, sessions), failure);
}

/**
 * PORT, HOST:PORT, HOST PORT or --port (with --host and maybe --udp), or a socket PATH or
 * --unix PATH (docs/endpoints.md).
 */
function listenTarget(flags: ListenFlags, operands: readonly string[]): ListenTarget {
  const target = serverEndpoint(operands, flags);
  if (target === undefined) {
    throw new InputError("missing port: expected PORT (0 picks a free one), or --unix PATH");
  }
  if (target.kind === "ip") {
    return {
      transport: flags.udp ? "udp" : "tcp",
      host: target.host ?? flags.host,
      port: target.port,
    };
  }
  if (flags.udp) {
    throw new InputError(`"--udp" does not apply to the Unix socket ${quote(target.path)}`);
  }
  return { transport: "unix", path: target.path };
}

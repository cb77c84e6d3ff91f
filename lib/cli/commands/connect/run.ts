/**
 * `netdiag connect`: flags → dial and relay options, stdin/stdout wiring, the report on stderr
 * (human lines, or with `--json` the document).
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";
import { parsePort } from "../../../core/parse_number.ts";
import { escapeTerminal } from "../../../core/terminal_text.ts";
import { netAdapter } from "../../../net/mod.ts";
import { diagnostic } from "../../../output/emit.ts";
import { formatDuration } from "../../../output/units.ts";
import {
  dial,
  dialDatagram,
  type DialOptions,
  type HostTarget,
  relay,
  relayDatagrams,
  type UnixTarget,
} from "../../../relay/mod.ts";
import type { NetdiagContext } from "../../context.ts";
import type { ConnectFlags } from "./definition.ts";
import { attemptLine, dialFailure } from "./dial_text.ts";
import { commandError, finish, streamFailure, udpFailure } from "./outcome.ts";
import { closingLine, dialledLabel, formatRelayAddress, peerLabel, trafficText } from "./report.ts";
import { connectParts } from "./record.ts";
import { drainsInput, inputSource, stdoutSink } from "./stdio.ts";

const TCP_IDLE_DEFAULT_MS = 5 * 60_000;
const UDP_IDLE_DEFAULT_MS = 2_000;

/** Runs `netdiag connect`. */
export async function connectCommand(
  this: NetdiagContext,
  flags: ConnectFlags,
  ...args: string[]
): Promise<void> {
  const target = connectTarget(flags, args);
  const input = await inputSource(this.io, flags);
  const onData = stdoutSink(this.io, flags.hex ?? false);
  // What netdiag says about the peer (a Unix socket's path, …) is escaped; the peer's bytes on
  // stdout are the user's to see raw.
  const say = (line: string) => {
    if (!flags.quiet && !flags.json) diagnostic(this, escapeTerminal(line));
  };
  const family: 4 | 6 | undefined = flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined;
  const adapter = await netAdapter();

  if (flags.udp && "host" in target) {
    const idleTimeoutMs = flags.idleTimeout ?? UDP_IDLE_DEFAULT_MS;
    const d = await dialDatagram(adapter, { ...target, family }).catch((error) => {
      throw commandError(error);
    });
    const label = peerLabel(d.host, d.remote, d.addressCount);
    say(`udp to ${label} from ${peerLabel(undefined, d.local)}`);
    const result = await relayDatagrams(d.socket, { input, idleTimeoutMs }, { onData });
    say(`done: ${trafficText(result)}`);
    const failure = udpFailure(result, formatRelayAddress(d.remote));
    return finish(this, flags, "connect", connectParts("udp", d, result), failure);
  }

  const timeoutMs = flags.timeout;
  const options: DialOptions = "path" in target
    ? { ...target, timeoutMs }
    : { ...target, family, timeoutMs };
  const dialled = await dial(adapter, options, {
    onAttemptFailed: (failure) => say(attemptLine(failure, timeoutMs)),
  }).catch((error) => {
    throw dialFailure(error);
  });
  say(`connected to ${dialledLabel(dialled)} in ${formatDuration(dialled.connectMs)}`);
  const idleTimeoutMs = flags.idleTimeout ?? TCP_IDLE_DEFAULT_MS;
  const result = await relay(dialled.connection, {
    input,
    idleTimeoutMs,
    drainInput: drainsInput(this.io, flags),
  }, { onData });
  say(closingLine(result));
  const transport = "path" in target ? "unix" : "tcp";
  const failure = streamFailure(result, dialledLabel(dialled), idleTimeoutMs);
  finish(this, flags, "connect", connectParts(transport, dialled, result), failure);
}

/** HOST PORT (`-4` / `-6` arrive as `--ipv4` / `--ipv6`), or `--unix PATH`. */
function connectTarget(flags: ConnectFlags, args: readonly string[]): HostTarget | UnixTarget {
  const [host, portText, extra] = args;
  if (extra !== undefined) throw new InputError(`unexpected ${quote(extra)}: expected HOST PORT`);
  if (flags.unix !== undefined) {
    if (host !== undefined) {
      throw new InputError(
        `unexpected ${quote(host)}: --unix takes the socket path instead of HOST PORT`,
      );
    }
    return { path: flags.unix };
  }
  if (host === undefined) {
    throw new InputError("missing target: expected HOST PORT, or --unix PATH");
  }
  if (portText === undefined) {
    throw new InputError(`missing port after ${quote(host)}: expected HOST PORT`);
  }
  return { host, port: parsePort(portText) };
}

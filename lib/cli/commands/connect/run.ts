/**
 * `netdiag connect`: flags → dial and relay options, stdin/stdout wiring, the report on stderr
 * (human lines, or with `--json` the document).
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";
import { endpointWithUnixFlag } from "../../../core/endpoint.ts";
import { escapeTerminal } from "../../../core/terminal_text.ts";
import { type NetAdapter, netAdapter } from "../../../net/mod.ts";
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
import { type Interrupt, interruptedError, interruptible } from "../../interrupt.ts";
import type { ConnectFlags } from "./definition.ts";
import { attemptLine } from "./dial_text.ts";
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
  const stop = interruptible(this.io);
  try {
    await connectAndRelay.call(this, { flags, target, input, onData, say, family, adapter, stop });
  } finally {
    stop.remove();
  }
}

/** Dials, relays until the end, reports: `connect`'s work, stopped by `stop` (exit 130). */
async function connectAndRelay(
  this: NetdiagContext,
  { flags, target, input, onData, say, family, adapter, stop }: ConnectRun,
): Promise<void> {
  const stopped = (error: unknown) => stop.fired ? interruptedError("connect") : error;
  if (flags.udp && "host" in target) {
    const idleTimeoutMs = flags.idleTimeout ?? UDP_IDLE_DEFAULT_MS;
    const d = await dialDatagram(adapter, { ...target, family }, stop.signal).catch((error) => {
      throw stopped(commandError(error));
    });
    const label = peerLabel(d.host, d.remote, d.addressCount);
    say(`udp to ${label} from ${peerLabel(undefined, d.local)}`);
    const result = await relayDatagrams(
      d.socket,
      { input, idleTimeoutMs },
      { onData },
      stop.signal,
    );
    say(`done: ${trafficText(result)}`);
    const failure = udpFailure(result, formatRelayAddress(d.remote));
    return finish(this, flags, "connect", connectParts("udp", d, result), failure, stop.fired);
  }

  const timeoutMs = flags.timeout;
  const options: DialOptions = "path" in target
    ? { ...target, timeoutMs }
    : { ...target, family, timeoutMs };
  const dialled = await dial(adapter, options, {
    onAttemptFailed: (failure) => say(attemptLine(failure, timeoutMs)),
  }, stop.signal).catch((error) => {
    throw stopped(error);
  });
  say(`connected to ${dialledLabel(dialled)} in ${formatDuration(dialled.connectMs)}`);
  const idleTimeoutMs = flags.idleTimeout ?? TCP_IDLE_DEFAULT_MS;
  const result = await relay(
    dialled.connection,
    {
      input,
      idleTimeoutMs,
      drainInput: drainsInput(this.io, flags),
    },
    { onData },
    stop.signal,
  );
  say(closingLine(result));
  const transport = "path" in target ? "unix" : "tcp";
  const failure = streamFailure(result, dialledLabel(dialled), idleTimeoutMs);
  const parts = connectParts(transport, dialled, result);
  finish(this, flags, "connect", parts, failure, stop.fired);
}

/** What {@link connectAndRelay} is given. */
interface ConnectRun {
  readonly flags: ConnectFlags;
  readonly target: HostTarget | UnixTarget;
  readonly input: Awaited<ReturnType<typeof inputSource>>;
  readonly onData: ReturnType<typeof stdoutSink>;
  readonly say: (line: string) => void;
  readonly family: 4 | 6 | undefined;
  readonly adapter: NetAdapter;
  readonly stop: Interrupt;
}

/**
 * The endpoint (docs/endpoints.md): HOST:PORT, [IPv6]:PORT, HOST PORT, PORT (127.0.0.1), a
 * socket path, or --unix PATH. `-4` / `-6` arrive as `--ipv4` / `--ipv6`.
 */
function connectTarget(flags: ConnectFlags, args: readonly string[]): HostTarget | UnixTarget {
  const target = endpointWithUnixFlag(args, flags.unix, { defaultHost: "127.0.0.1" });
  if (target.kind === "ip") return { host: target.host ?? "127.0.0.1", port: target.port };
  const flag = flags.udp ? "--udp" : flags.ipv4 ? "--ipv4" : flags.ipv6 ? "--ipv6" : undefined;
  if (flag) {
    throw new InputError(`"${flag}" does not apply to the Unix socket ${quote(target.path)}`);
  }
  return { path: target.path };
}

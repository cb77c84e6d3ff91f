/**
 * The UDP client relay: each input chunk to the peer as datagrams, the peer's datagrams to a
 * sink, until no reply has come for a while after the input ended.
 * @module
 */
import { type DatagramSocket, NetError } from "../net/types.ts";
import type { InputSource } from "./io.ts";
import type { RelayHooks } from "./relay.ts";
import type { RelayResult } from "./result.ts";

/** The largest UDP payload over IPv4; longer input is cut into datagrams of this size. */
export const MAX_DATAGRAM = 65_507;

/** Options of {@link relayDatagrams}. */
export interface DatagramRelayOptions {
  /** What to send; each chunk becomes one datagram (or several of {@link MAX_DATAGRAM}). */
  readonly input?: InputSource | null;
  /** After the input ends, finish once this many milliseconds pass without a datagram; default 2000. */
  readonly idleTimeoutMs?: number;
}

/**
 * Relays `options.input` to the socket's associated peer and its datagrams to `hooks.onData`,
 * until the input has ended and nothing arrived for `idleTimeoutMs` (`idle`, the normal end).
 * Never rejects: "port unreachable" (where the runtime reports it) ends it with `refused`,
 * another send or receive failure with `error`, `signal` with `stopped`. The socket is closed on
 * return.
 */
export async function relayDatagrams(
  socket: DatagramSocket,
  options: DatagramRelayOptions = {},
  hooks: RelayHooks = {},
  signal?: AbortSignal,
): Promise<RelayResult> {
  const started = performance.now();
  const idleMs = options.idleTimeoutMs ?? 2000;
  const input = options.input ?? null;
  let bytesSent = 0;
  let bytesReceived = 0;
  let inputEnded = false;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new AbortController();
  const done = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  const touch = () => {
    clearTimeout(timer);
    if (inputEnded && !finished) timer = setTimeout(() => idle.abort(), idleMs);
  };
  let sendError: unknown;
  const writer = (async () => {
    try {
      for (;;) {
        const chunk = input ? await input.peek() : null;
        input?.consume();
        if (chunk === null || finished) break;
        for (let off = 0; off < chunk.length; off += MAX_DATAGRAM) {
          const piece = chunk.subarray(off, off + MAX_DATAGRAM);
          await socket.send(piece);
          bytesSent += piece.length;
        }
      }
    } catch (error) {
      sendError = error;
      idle.abort();
    }
    inputEnded = true;
    touch();
  })();
  let error: unknown;
  try {
    for (;;) {
      const d = await socket.receive(done);
      bytesReceived += d.data.length;
      touch();
      await hooks.onData?.(d.data);
    }
  } catch (e) {
    if (!(e instanceof NetError && e.code === "ABORTED")) error = e;
  }
  finished = true;
  clearTimeout(timer);
  socket.close();
  void writer;
  const failure = error ?? sendError;
  const end = failure !== undefined
    ? failure instanceof NetError && failure.code === "ECONNREFUSED" ? "refused" : "error"
    : signal?.aborted
    ? "stopped"
    : "idle";
  return {
    bytesSent,
    bytesReceived,
    durationMs: performance.now() - started,
    end,
    ...(failure !== undefined ? { error: failure } : {}),
  };
}

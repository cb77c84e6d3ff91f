import { buildCommand, buildRouteMap } from "@stricli/core";
import type { EchoMode } from "../core/echo_reply.ts";
import { parseDuration } from "../core/parse_duration.ts";
import { parseCount, parsePort } from "../core/parse_number.ts";
import { parseByteSize } from "../core/parse_size.ts";
import { parseUnixPath } from "../core/unix_path.ts";
import { bindHostFlag, jsonFlag } from "./flags.ts";

/** The flags of `netdiag echo serve`. */
export interface EchoServeFlags {
  readonly tcp?: number;
  readonly udp?: number;
  readonly unix?: string;
  readonly port?: number;
  readonly host: string;
  readonly mode?: EchoMode;
  readonly prefix?: string;
  readonly framed?: boolean;
  readonly maxConns: number;
  readonly idleTimeout: number;
  readonly maxFrame: number;
  readonly once?: boolean;
  readonly quiet?: boolean;
  readonly ndjson?: boolean;
}

/** The flags of `netdiag echo test`. */
export interface EchoTestFlags {
  readonly udp?: boolean;
  readonly unix?: string;
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
}

const port = (t: string) => parsePort(t, true);
const duration = (what: string) => (t: string) => parseDuration(t, { what });

const serveCommand = buildCommand({
  loader: () => import("./echo_serve_run.ts"),
  parameters: {
    flags: {
      tcp: {
        kind: "parsed",
        parse: port,
        brief: "Serve TCP on this port (0 picks one)",
        placeholder: "port",
        optional: true,
      },
      udp: {
        kind: "parsed",
        parse: port,
        brief: "Serve UDP on this port (0 picks one)",
        placeholder: "port",
        optional: true,
      },
      unix: {
        kind: "parsed",
        parse: parseUnixPath,
        brief: "Serve on this Unix socket path (removed on exit)",
        placeholder: "path",
        optional: true,
      },
      port: {
        kind: "parsed",
        parse: port,
        brief: "Serve TCP and UDP on this port, as RFC 862 does (same as PORT)",
        placeholder: "port",
        optional: true,
      },
      ...bindHostFlag,
      mode: {
        kind: "enum",
        values: ["echo", "upper", "stamp", "prefix"],
        brief: "Reply with the data (echo), uppercased, [ctime]-stamped, or prefixed",
        optional: true,
      },
      prefix: {
        kind: "parsed",
        parse: String,
        brief: 'Prefix of --mode prefix (default "OK..."); implies it',
        placeholder: "text",
        optional: true,
      },
      framed: {
        kind: "boolean",
        brief: "Speak the length-prefixed framing protocol, replying frame by frame",
        optional: true,
      },
      maxConns: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "connection limit", 1_000_000),
        brief: "Most clients at once; more get a short message and are closed",
        default: "1024",
      },
      idleTimeout: {
        kind: "parsed",
        parse: duration("idle timeout"),
        brief: "Close a client after this long without traffic",
        default: "5m",
      },
      maxFrame: {
        kind: "parsed",
        parse: (t: string) => parseByteSize(t, { what: "frame limit", min: 1, max: 2 ** 32 }),
        brief: "Largest frame body accepted with --framed (k, M, G suffixes)",
        default: "16M",
      },
      once: { kind: "boolean", brief: "Serve one client, then exit", optional: true },
      quiet: { kind: "boolean", brief: "No per-connection lines on stderr", optional: true },
      ndjson: {
        kind: "boolean",
        brief: "JSON lines: listening and summary on stdout, connections on stderr",
        optional: true,
      },
    },
    aliases: { q: "quiet", p: "port" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "Port for TCP and UDP together (0 picks one); default 7007",
        placeholder: "port",
        parse: port,
        optional: true,
      }],
    },
  },
  docs: {
    brief: "Run an echo server (TCP, UDP, Unix; echo, upper, stamp, prefix; framed)",
    fullDescription:
      "Answers every client at once, each in its own read/write loop. With only PORT (or " +
      "--port) it serves TCP and UDP on that port together; with nothing, TCP and UDP on 7007. " +
      "Binds 127.0.0.1 unless --host says otherwise. Each bound socket is printed on stdout as " +
      '"listening tcp 127.0.0.1:PORT" (port 0 shows the chosen port). Modes: echo returns the ' +
      'bytes unchanged, upper uppercases ASCII letters, stamp returns "[Sun Nov 22 03:16:41 ' +
      '2026] <data>", prefix returns "OK...<data>". Plain mode answers each read as it comes; ' +
      "--framed answers frame by frame ([4-byte big-endian header length][JSON header with " +
      '"size"][body]) and closes a client that sends a bad or oversized frame after an error ' +
      'frame {"error":…}. One line per closed connection on stderr; SIGINT/SIGTERM stop ' +
      "accepting, close the clients, print totals and exit 0.\n" +
      "Exit codes: 0 stopped cleanly, 2 bad input, 3 cannot listen.\n\n" +
      "Examples:\n" +
      "  netdiag echo serve                       TCP and UDP on 127.0.0.1:7007\n" +
      "  netdiag echo serve 0 --ndjson            pick a free port, report it as JSON\n" +
      "  netdiag echo serve --tcp 9000 --mode upper\n" +
      "  netdiag echo serve --unix /tmp/echo.sock --mode stamp --once\n" +
      "  netdiag echo serve --tcp 9000 --framed --max-frame 1M --max-conns 100",
  },
});

const testCommand = buildCommand({
  loader: () => import("./echo_test_run.ts"),
  parameters: {
    flags: {
      udp: {
        kind: "boolean",
        brief: "Test over UDP (loss, duplicates, reordering)",
        optional: true,
      },
      unix: {
        kind: "parsed",
        parse: parseUnixPath,
        brief: "Test the Unix socket at this path instead of TARGET",
        placeholder: "path",
        optional: true,
      },
      count: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "count"),
        brief: "Messages per connection (default 100; unlimited with only --duration)",
        optional: true,
      },
      size: {
        kind: "parsed",
        parse: (t: string) => parseByteSize(t, { what: "size", min: 1, max: 16 * 1024 * 1024 }),
        brief: "Message size in bytes (default 64; --stream: write size, default 128k)",
        optional: true,
      },
      duration: {
        kind: "parsed",
        parse: duration("duration"),
        brief: "Stop after this long",
        optional: true,
      },
      connections: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "connection count", 10_000),
        brief: "Parallel connections (UDP: sockets)",
        default: "1",
      },
      interval: {
        kind: "parsed",
        parse: duration("interval"),
        brief: "Pause between messages on each connection",
        optional: true,
      },
      framed: {
        kind: "boolean",
        brief: "Speak the framing protocol (needs a --framed server)",
        optional: true,
      },
      stream: {
        kind: "boolean",
        brief: "Bulk full duplex: write while reading back and verifying; reports MB/s",
        optional: true,
      },
      total: {
        kind: "parsed",
        parse: (t: string) => parseByteSize(t, { what: "total", min: 1 }),
        brief: "--stream: bytes per connection (default 64M unless --duration)",
        optional: true,
      },
      timeout: {
        kind: "parsed",
        parse: duration("timeout"),
        brief: "Wait this long to connect and for each echo (default 5s; UDP 1s, then lost)",
        optional: true,
      },
      ...jsonFlag,
    },
    aliases: { c: "count", s: "size", j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "HOST:PORT, [IPv6]:PORT or PORT (127.0.0.1)",
        placeholder: "target",
        parse: String,
        optional: true,
      }],
    },
  },
  docs: {
    brief: "Measure an echo server: verify every byte, round trips, throughput, UDP loss",
    fullDescription:
      "Sends random payloads to an echo server (netdiag echo serve, or any RFC 862 server such " +
      "as socat or ncat in plain mode) and verifies every echoed byte. Ping-pong mode sends one " +
      "message at a time per connection and reports round-trip times (min, mean, p50, p90, p99, " +
      "max, stddev), messages/s and MB/s; --stream writes while reading back. UDP payloads carry " +
      "a sequence number (8 bytes) and report loss, duplicates and reordering.\n" +
      "Exit codes: 0 all echoes verified, 1 an echo differed (the message and first differing " +
      "offset are named) or no UDP reply at all, 2 bad input, 3 connect failure, timeout or reset.\n\n" +
      "Examples:\n" +
      "  netdiag echo test 127.0.0.1:7007\n" +
      "  netdiag echo test 7007 --count 10000 --size 1k --connections 8\n" +
      "  netdiag echo test 7007 --udp --count 1000 --interval 1ms --json\n" +
      "  netdiag echo test 7007 --stream --total 1G\n" +
      "  netdiag echo test --unix /tmp/echo.sock --framed --duration 5s",
  },
});

/** `netdiag echo serve` and `netdiag echo test`. */
export const echoRoutes = buildRouteMap({
  routes: { serve: serveCommand, test: testCommand },
  docs: { brief: "Echo servers and echo tests over TCP, UDP and Unix sockets" },
});

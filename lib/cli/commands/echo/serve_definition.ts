/** The `echo serve` command's definition. */
import { buildCommand } from "@stricli/core";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseCount, parsePort } from "../../../core/parse_number.ts";
import { parseByteSize } from "../../../core/parse_size.ts";
import { parseUnixPath } from "../../../core/unix_path.ts";
import { documented } from "../../documented.ts";
import { conflictsHelp, type FlagConflict, JSON_NDJSON } from "../../flag_conflicts.ts";
import { bindHostFlag } from "../../flags.ts";
import { proposeFiles } from "../completions/propose.ts";

const port = (t: string) => parsePort(t, true);
const duration = (what: string) => (t: string) => parseDuration(t, { what });
const SHARED_PORT = "--port serves TCP and UDP on one port; give --tcp and --udp instead";

/** Flags of `echo serve` that cannot be given together. */
const CONFLICTS: readonly FlagConflict[] = [
  JSON_NDJSON,
  { flags: ["port", "tcp"], reason: SHARED_PORT },
  { flags: ["port", "udp"], reason: SHARED_PORT },
];

/** `netdiag echo serve [PORT]`. */
export const echoServeCommand = buildCommand({
  loader: async () =>
    documented("echo serve", (await import("./serve_run.ts")).echoServeCommand, CONFLICTS),
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
        proposeCompletions: proposeFiles,
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
      json: {
        kind: "boolean",
        brief: "Print the totals as one JSON document when the server stops",
        optional: true,
      },
      ndjson: {
        kind: "boolean",
        brief: "JSON lines: listening and summary on stdout, connections on stderr",
        optional: true,
      },
    },
    aliases: { j: "json", p: "port", q: "quiet", t: "tcp", u: "udp" },
    positional: {
      kind: "array",
      parameter: {
        brief: "PORT for TCP and UDP together (0 picks one; default 7007), HOST:PORT, " +
          "[IPv6]:PORT, HOST PORT or a socket PATH (docs/endpoints.md)",
        placeholder: "port",
        parse: String,
      },
      maximum: 3,
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
      "--json prints the totals as one document when the server stops (the bound sockets as " +
      "its results); --ndjson prints each bound socket as it is ready, then the totals.\n" +
      "Exit codes: 0 stopped cleanly, 2 bad input, 3 cannot listen.\n" +
      conflictsHelp(CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag echo serve                       TCP and UDP on 127.0.0.1:7007\n" +
      "  netdiag echo serve 0 --ndjson            pick a free port, report it as JSON\n" +
      "  netdiag echo serve -p 9000                TCP and UDP on 127.0.0.1:9000\n" +
      "  netdiag echo serve -t 9000 --mode upper   TCP only\n" +
      "  netdiag echo serve --unix /tmp/echo.sock --mode stamp --once\n" +
      "  netdiag echo serve --tcp 9000 --framed --max-frame 1M --max-conns 100",
  },
});

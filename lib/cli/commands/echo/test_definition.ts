/** The `echo test` command's definition. */
import { buildCommand } from "@stricli/core";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseCount } from "../../../core/parse_number.ts";
import { parseByteSize } from "../../../core/parse_size.ts";
import { parseUnixPath } from "../../../core/unix_path.ts";
import { documented } from "../../documented.ts";
import {
  conflictsHelp,
  FAMILY_CONFLICT,
  type FlagConflict,
  JSON_NDJSON,
} from "../../flag_conflicts.ts";
import { familyFlags, tcpFlag } from "../../flags.ts";
import { proposeEndpoint, proposeFiles } from "../completions/propose.ts";

const duration = (what: string) => (t: string) => parseDuration(t, { what });

const NO_ADDRESSES = "-4 and -6 choose among a name's addresses; a Unix socket has none";

/** Flags of `echo test` that cannot be given together. */
const CONFLICTS: readonly FlagConflict[] = [
  JSON_NDJSON,
  { flags: ["unix", "udp"] },
  { flags: ["tcp", "udp"] },
  { flags: ["tcp", "unix"] },
  FAMILY_CONFLICT,
  { flags: ["unix", "ipv4"], reason: NO_ADDRESSES },
  { flags: ["unix", "ipv6"], reason: NO_ADDRESSES },
  { flags: ["stream", "udp"], reason: "streaming needs TCP or Unix" },
  { flags: ["stream", "framed"], reason: "--stream is plain bytes" },
  { flags: ["stream", "interval"], reason: "--stream never pauses" },
];

/** `netdiag echo test [TARGET]`. */
export const echoTestCommand = buildCommand({
  loader: async () =>
    documented("echo test", (await import("./test_run.ts")).echoTestCommand, CONFLICTS),
  parameters: {
    flags: {
      ...tcpFlag,
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
        proposeCompletions: proposeFiles,
      },
      ...familyFlags,
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
      json: { kind: "boolean", brief: "Print the report as one JSON document", optional: true },
      ndjson: {
        kind: "boolean",
        brief: "Print one JSON line per connection as it ends, then the report as the summary",
        optional: true,
      },
    },
    aliases: { c: "count", j: "json", s: "size", t: "tcp", u: "udp", w: "timeout" },
    positional: {
      kind: "array",
      parameter: {
        brief: "HOST:PORT, [IPv6]:PORT, HOST PORT, PORT (127.0.0.1) or a socket PATH " +
          "(docs/endpoints.md)",
        placeholder: "target",
        parse: String,
        proposeCompletions: proposeEndpoint,
      },
      maximum: 3,
    },
  },
  docs: {
    brief: "Measure an echo server: verify every byte, round trips, throughput, UDP loss",
    fullDescription:
      "Sends random payloads to an echo server (netdiag echo serve, or any RFC 862 server such " +
      "as socat or ncat in plain mode) and verifies every echoed byte. Ping-pong mode sends one " +
      "message at a time per connection and reports round-trip times (min, mean, p50, p90, p99, " +
      "max, stddev), messages/s and MB/s; --stream writes while reading back. UDP payloads carry " +
      "a sequence number (8 bytes) and report loss, duplicates and reordering. A host name " +
      "goes to the system resolver; -4 / -6 (--ipv4 / --ipv6) test its first address of " +
      "that family.\n" +
      "Exit codes: 0 all echoes verified, 1 an echo differed (the message and first differing " +
      "offset are named) or no UDP reply at all, 2 bad input, 3 connect failure, timeout or " +
      "reset, 130 interrupted (the report still printed).\n" + conflictsHelp(CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag echo test 127.0.0.1:7007\n" +
      "  netdiag echo test localhost 7007 -w 2s\n" +
      "  netdiag echo test -6 localhost:7007\n" +
      "  netdiag echo test 7007 --count 10000 --size 1k --connections 8\n" +
      "  netdiag echo test 7007 --udp --count 1000 --interval 1ms --json\n" +
      "  netdiag echo test 7007 --stream --total 1G\n" +
      "  netdiag echo test --unix /tmp/echo.sock --framed --duration 5s",
  },
});

/**
 * `netdiag connect`: flags, docs and the loader; the rest loads only when it runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { decodeEscapes } from "../../../core/escapes.ts";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseUnixPath } from "../../../core/unix_path.ts";
import { conflictsHelp, type FlagConflict } from "../../flag_conflicts.ts";
import { familyFlags, tcpFlag } from "../../flags.ts";
import { documentedOnStderr, reportJsonFlag } from "./stderr_document.ts";
import { proposeEndpoint, proposeFiles } from "../completions/propose.ts";

/** The flags of `netdiag connect`. */
export interface ConnectFlags {
  readonly tcp?: boolean;
  readonly udp?: boolean;
  readonly unix?: string;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
  readonly timeout: number;
  readonly idleTimeout?: number;
  readonly send?: Uint8Array;
  readonly sendFile?: string;
  readonly hex?: boolean;
  readonly quiet?: boolean;
  readonly json?: boolean;
}

const NO_ADDRESSES = "-4 and -6 choose among a name's addresses; a Unix socket has none";

/** The flags of `connect` that exclude each other. */
export const CONNECT_CONFLICTS: readonly FlagConflict[] = [
  { flags: ["ipv4", "ipv6"] },
  { flags: ["tcp", "udp"] },
  { flags: ["tcp", "unix"] },
  { flags: ["send", "sendFile"] },
  { flags: ["unix", "udp"], reason: "a Unix socket here is a stream socket" },
  { flags: ["unix", "ipv4"], reason: NO_ADDRESSES },
  { flags: ["unix", "ipv6"], reason: NO_ADDRESSES },
];

const duration = (what: string) => (text: string) => parseDuration(text, { what });

/** `netdiag connect HOST PORT`: a netcat-style client. */
export const connectCommand = buildCommand({
  loader: async () =>
    documentedOnStderr(
      "connect",
      (await import("./run.ts")).connectCommand,
      CONNECT_CONFLICTS,
    ),
  parameters: {
    flags: {
      ...tcpFlag,
      udp: { kind: "boolean", brief: "Use UDP: each input chunk is one datagram", optional: true },
      unix: {
        kind: "parsed",
        parse: parseUnixPath,
        brief: "Connect to this Unix socket (same as a PATH operand)",
        placeholder: "path",
        optional: true,
        proposeCompletions: proposeFiles,
      },
      ...familyFlags,
      timeout: {
        kind: "parsed",
        parse: duration("timeout"),
        brief: "Give up connecting to an address after this long",
        default: "10s",
      },
      idleTimeout: {
        kind: "parsed",
        parse: duration("idle timeout"),
        brief: "TCP: close after this long without traffic (default 5m); " +
          "UDP: wait this long for replies after the input ends (default 2s)",
        optional: true,
      },
      send: {
        kind: "parsed",
        parse: decodeEscapes,
        brief: "Send this text instead of stdin (escapes \\r \\n \\t \\\\ \\0 \\xHH)",
        placeholder: "text",
        optional: true,
      },
      sendFile: {
        kind: "parsed",
        parse: String,
        brief: "Send this file's bytes instead of stdin",
        placeholder: "file",
        optional: true,
        proposeCompletions: proposeFiles,
      },
      hex: {
        kind: "boolean",
        brief: "Print received bytes as a hex+ASCII listing",
        optional: true,
      },
      quiet: { kind: "boolean", brief: "No connection report on stderr", optional: true },
      ...reportJsonFlag,
    },
    aliases: { j: "json", q: "quiet", t: "tcp", u: "udp", w: "timeout" },
    positional: {
      kind: "array",
      parameter: {
        brief: "HOST:PORT, [IPv6]:PORT, HOST PORT, PORT (127.0.0.1) or a socket PATH " +
          "(docs/endpoints.md)",
        placeholder: "endpoint",
        parse: String,
        proposeCompletions: proposeEndpoint,
      },
      maximum: 3,
    },
  },
  docs: {
    brief: "Open a TCP, UDP or Unix connection and relay stdin and stdout (like nc)",
    fullDescription:
      "Connects to the endpoint (HOST:PORT, [IPv6]:PORT, HOST PORT, a bare PORT on 127.0.0.1, " +
      "a Unix socket PATH or --unix PATH) and relays: stdin (or --send / --send-file) to " +
      "the socket, the socket's bytes to stdout. At the end of the input the write side is " +
      "half-closed and the reply is still read to the end; the command exits when the peer " +
      "closes. A name is resolved by the system resolver and its addresses are tried in order " +
      "(-4 / -6, or --ipv4 / --ipv6, keep one family). stderr gets a report: the address " +
      "used, the connect time and the bytes each way; with --json that report is one JSON " +
      "document on one line of stderr (stdout only ever carries the peer's bytes).\n" +
      "Exit codes: 0 the peer closed normally, 1 connection refused (or UDP port unreachable " +
      "where the runtime reports it), 2 bad input, 3 timeout, unresolvable name, reset or idle.\n" +
      conflictsHelp(CONNECT_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag connect 127.0.0.1:8080 --send 'GET / HTTP/1.0\\r\\n\\r\\n'\n" +
      "  printf 'hello' | netdiag connect -4 localhost 7 --hex\n" +
      "  netdiag connect -u 127.0.0.1 5353 --send-file query.bin\n" +
      "  netdiag connect [::1]:8080 -w 2s\n" +
      "  netdiag connect --unix /run/app.sock --send 'PING\\r\\n' --json 2>report.json",
  },
});

/**
 * `netdiag listen`: flags, docs and the loader; the rest loads only when it runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseUnixPath } from "../../../core/unix_path.ts";
import { conflictsHelp, type FlagConflict } from "../../flag_conflicts.ts";
import { bindHostFlag, serverPortFlag, tcpFlag } from "../../flags.ts";
import { documentedOnStderr, reportJsonFlag } from "../connect/stderr_document.ts";
import { proposeFiles } from "../completions/propose.ts";

/** The flags of `netdiag listen`. */
export interface ListenFlags {
  readonly tcp?: boolean;
  readonly udp?: boolean;
  readonly port?: number;
  readonly unix?: string;
  readonly host: string;
  readonly keepOpen?: boolean;
  readonly idleTimeout: number;
  readonly hex?: boolean;
  readonly quiet?: boolean;
  readonly json?: boolean;
}

/** The flags of `listen` that exclude each other. */
export const LISTEN_CONFLICTS: readonly FlagConflict[] = [
  { flags: ["unix", "udp"], reason: "a Unix socket here is a stream socket" },
  { flags: ["tcp", "udp"] },
  { flags: ["tcp", "unix"] },
];

/** `netdiag listen PORT`: a netcat-style server (`nc -l`). */
export const listenCommand = buildCommand({
  loader: async () =>
    documentedOnStderr("listen", (await import("./run.ts")).listenCommand, LISTEN_CONFLICTS),
  parameters: {
    flags: {
      ...tcpFlag,
      udp: {
        kind: "boolean",
        brief: "Listen on UDP; replies go to the last sender",
        optional: true,
      },
      unix: {
        kind: "parsed",
        parse: parseUnixPath,
        brief: "Listen on this Unix socket path instead of a port (removed on exit)",
        placeholder: "path",
        optional: true,
        proposeCompletions: proposeFiles,
      },
      ...serverPortFlag,
      ...bindHostFlag,
      keepOpen: {
        kind: "boolean",
        brief: "Serve clients one after another instead of exiting after the first",
        optional: true,
      },
      idleTimeout: {
        kind: "parsed",
        parse: (t: string) => parseDuration(t, { what: "idle timeout" }),
        brief: "Close a client (UDP: stop) after this long without traffic",
        default: "5m",
      },
      hex: {
        kind: "boolean",
        brief: "Print received bytes as a hex+ASCII listing",
        optional: true,
      },
      quiet: { kind: "boolean", brief: "No connection reports on stderr", optional: true },
      ...reportJsonFlag,
    },
    aliases: { j: "json", k: "keepOpen", p: "port", q: "quiet", t: "tcp", u: "udp" },
    positional: {
      kind: "array",
      parameter: {
        brief: "PORT (0 picks a free one and reports it), HOST:PORT, [IPv6]:PORT, HOST PORT " +
          "or a socket PATH (docs/endpoints.md)",
        placeholder: "port",
        parse: String,
      },
      maximum: 3,
    },
  },
  docs: {
    brief: "Wait for a TCP, UDP or Unix client and relay stdin and stdout (like nc -l)",
    fullDescription:
      "Listens on PORT (or --port / -p PORT; 127.0.0.1 unless --host or a HOST:PORT operand " +
      "says otherwise) or on a Unix socket PATH (or --unix PATH) and " +
      "relays: the client's bytes to stdout, stdin to the client. At the end of stdin the write " +
      "side is half-closed; the command exits when the client closes (with --keep-open it waits " +
      "for the next one). UDP: datagrams to stdout, stdin to the last sender. stderr reports " +
      'the bound address ("listening on 127.0.0.1:40123"), each client and the bytes each way; ' +
      "with --json the closing report is one JSON document on one line of stderr, after the " +
      '"listening on" line (stdout only ever carries the clients\' bytes). ' +
      "SIGINT/SIGTERM stop it cleanly.\n" +
      "Exit codes: 0 done, 2 bad input, 3 cannot listen, a client's connection broke or idled.\n" +
      conflictsHelp(LISTEN_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag listen 8080\n" +
      "  netdiag listen -p 9000 -k\n" +
      "  netdiag listen 0 --keep-open > received.log\n" +
      "  echo pong | netdiag listen 9999 --udp\n" +
      "  netdiag listen --unix /tmp/test.sock --hex",
  },
});

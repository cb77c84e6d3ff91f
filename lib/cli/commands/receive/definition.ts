/**
 * `netdiag receive --dir DIR`: the command's flags, help and loader. Light: the engine
 * (lib/transfer/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { parseByteSize } from "../../../core/parse_size.ts";
import { parseCount, parsePort } from "../../../core/parse_number.ts";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseUnixPath } from "../../../core/unix_path.ts";
import { documented } from "../../documented.ts";
import { conflictsHelp, JSON_NDJSON } from "../../flag_conflicts.ts";
import { bindHostFlag, streamFlags } from "../../flags.ts";
import { proposeDirectories, proposeFiles } from "../completions/propose.ts";

export type { ReceiveFlags } from "./flags.ts";

const CONFLICTS = [JSON_NDJSON];

const duration = (what: string, minMs?: number) => (t: string) => parseDuration(t, { what, minMs });

/** `netdiag receive --dir DIR`: the receiving end of `netdiag send`. */
export const receiveCommand = buildCommand({
  loader: async () => documented("receive", (await import("./run.ts")).receiveCommand, CONFLICTS),
  parameters: {
    flags: {
      ...streamFlags,
      dir: {
        kind: "parsed",
        parse: String,
        brief: "Directory to save files into (must exist); nothing is written outside it",
        placeholder: "dir",
        proposeCompletions: proposeDirectories,
      },
      port: {
        kind: "parsed",
        parse: (t: string) => parsePort(t, true),
        brief: "TCP port, the same as the PORT operand (default 9009; 0 picks a free one and " +
          "reports it)",
        placeholder: "port",
        optional: true,
      },
      ...bindHostFlag,
      unix: {
        kind: "parsed",
        parse: parseUnixPath,
        brief: "Listen on this Unix socket path instead (removed on exit)",
        placeholder: "path",
        optional: true,
        proposeCompletions: proposeFiles,
      },
      overwrite: {
        kind: "boolean",
        brief: "Replace existing files (default: refuse them)",
        optional: true,
      },
      maxSize: {
        kind: "parsed",
        parse: (t: string) => parseByteSize(t, { what: "max size" }),
        brief: "Refuse files larger than this (K/M/G/T = 1024-based)",
        default: "64G",
      },
      once: { kind: "boolean", brief: "Exit after the first sender", optional: true },
      maxConns: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "max connections", 10_000),
        brief: "Senders served at once; more are turned away",
        default: "16",
      },
      idleTimeout: {
        kind: "parsed",
        parse: duration("idle timeout"),
        brief: "Drop a sender silent for this long (its partial file is deleted)",
        default: "30s",
      },
      headerTimeout: {
        kind: "parsed",
        parse: duration("header timeout"),
        brief: "Drop a sender that takes longer to deliver a whole file header after connecting " +
          "or after its previous file",
        default: "10s",
      },
      minRate: {
        kind: "parsed",
        parse: (t: string) => parseByteSize(t, { what: "minimum rate" }),
        brief: "Drop a sender slower than this many bytes per second over --min-rate-window " +
          "(K/M = 1024-based; 0: no minimum)",
        default: "1K",
      },
      minRateWindow: {
        kind: "parsed",
        parse: duration("minimum-rate window", 100),
        brief: "The span --min-rate is averaged over",
        default: "10s",
      },
    },
    aliases: { j: "json", p: "port" },
    positional: {
      kind: "array",
      parameter: {
        brief: "Where to listen: PORT, HOST:PORT, [IPv6]:PORT, HOST PORT or a socket PATH " +
          "(docs/endpoints.md); default 127.0.0.1:9009",
        placeholder: "port",
        parse: String,
      },
      maximum: 3,
    },
  },
  docs: {
    brief: "Receive files from `netdiag send` into a directory, verified by size and SHA-256",
    fullDescription:
      'Listens (127.0.0.1:9009 unless told otherwise; stderr says "listening on ADDRESS") ' +
      "and saves each file sent with `netdiag send` into DIR. Bytes go to a temporary file " +
      "inside DIR that is renamed to the file's name only after its size and SHA-256 match; on " +
      "a mismatch or a broken connection nothing appears under the name and the sender is told. " +
      'Names are checked, never rewritten: path separators, "..", ".", NUL, control ' +
      "characters (C0, DEL, C1), bidi and other invisible formatting characters and names over " +
      "255 bytes are refused. Existing files are refused unless " +
      "--overwrite. Several senders are served at once, each held to a minimum of progress: a " +
      "whole file header within --header-timeout (10s) of connecting or of its previous file, " +
      "at least --min-rate (1K) bytes per second averaged over --min-rate-window (10s), never " +
      "silent for --idle-timeout (30s); time the receiver spends writing and syncing is not " +
      "counted. A sender cut for that is told why. Temporary files left by a receiver that was " +
      "killed are removed at start (reported on stderr). One line per file on stdout " +
      "(--json, --ndjson: the result document, see docs/commands/receive.md); SIGINT/SIGTERM " +
      "stop it, delete partial files and print the totals.\n" +
      "Exit codes: 0 every file saved (or stopped by a signal), 1 with --once: a file was " +
      "refused, 2 bad input, 3 cannot listen, or with --once: a transfer failed (connection " +
      "broken, sender cut, a file that could not be written: disk full, I/O error).\n" +
      conflictsHelp(CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag receive --dir ./incoming\n" +
      "  netdiag receive --dir /srv/drop 0 --once --json\n" +
      "  netdiag receive --dir . -p 9013\n" +
      "  netdiag receive --dir . --unix ./recv.sock --max-size 100M --overwrite",
  },
});

/**
 * `netdiag send FILE... TARGET`: the command's flags, help and loader. Light: the engine
 * (lib/transfer/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { parseDuration } from "../../../core/parse_duration.ts";
import { documented } from "../../documented.ts";
import { conflictsHelp, FAMILY_CONFLICT, JSON_NDJSON } from "../../flag_conflicts.ts";
import { familyFlags, quietSummaryFlag, streamFlags } from "../../flags.ts";
import { proposeSendOperand } from "../completions/propose.ts";

/** The flags of `netdiag send`. */
export interface SendFlags {
  readonly json?: boolean;
  readonly ndjson?: boolean;
  readonly timeout: number;
  readonly idleTimeout: number;
  readonly progress?: boolean;
  readonly hashFirst?: boolean;
  readonly quiet?: boolean;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
}

const CONFLICTS = [JSON_NDJSON, FAMILY_CONFLICT];

/** `netdiag send FILE... TARGET`: verified file transfer to `netdiag receive`. */
export const sendCommand = buildCommand({
  loader: async () => documented("send", (await import("./run.ts")).sendCommand, CONFLICTS),
  parameters: {
    flags: {
      ...streamFlags,
      timeout: {
        kind: "parsed",
        parse: (t: string) => parseDuration(t, { what: "timeout" }),
        brief: "Give up connecting after this long",
        default: "10s",
      },
      idleTimeout: {
        kind: "parsed",
        parse: (t: string) => parseDuration(t, { what: "idle timeout" }),
        brief: "Give up when the receiver neither takes bytes nor answers for this long",
        default: "30s",
      },
      progress: {
        kind: "boolean",
        brief: "Progress bar on stderr (default: only when stderr is a terminal)",
        optional: true,
      },
      hashFirst: {
        kind: "boolean",
        brief: "Hash each file before sending it, hash in its header (protocol 1; for old " +
          "receivers started with --once)",
        optional: true,
      },
      ...quietSummaryFlag,
      ...familyFlags,
    },
    aliases: { j: "json", q: "quiet", w: "timeout" },
    positional: {
      kind: "array",
      minimum: 2,
      parameter: {
        brief: "Files to send, then the TARGET: HOST:PORT, [IPv6]:PORT, PORT (127.0.0.1) or a " +
          "Unix socket path (not HOST PORT, which reads as a file; docs/endpoints.md)",
        placeholder: "file... target",
        parse: String,
        proposeCompletions: proposeSendOperand,
      },
    },
  },
  docs: {
    brief: "Send files to `netdiag receive`, each verified by size and SHA-256",
    fullDescription:
      "Sends each FILE as one frame of the framing protocol, header {name, size} then the " +
      "bytes, streamed in constant memory, then its SHA-256. The receiver saves a file under " +
      "its name only after its size and SHA-256 match, and answers each file; send exits 0 " +
      "only when every file was verified on the other side. Only the file's last path " +
      "component is sent as its name. TARGET is HOST:PORT, [IPv6]:PORT, a bare PORT (127.0.0.1) or a Unix socket path " +
      "(anything with a /); a name's addresses are tried in order (-4 / -6 keep one family). " +
      "Prints one line per file and the rate at the end (--json, --ndjson: " +
      "the result document, see docs/commands/send.md).\n" +
      "Each file is read once and hashed on its way out, its SHA-256 in a trailer after the " +
      "bytes (protocol 2, agreed with a hello); a receiver that refuses the hello gets the " +
      "hash in each header instead (protocol 1, on a new connection; --hash-first at once), " +
      "files hashed ahead of the stream. A file that cannot be read to its end (it shrank) or " +
      "changed while it was sent is cut short; the receiver still answers and says how much " +
      "arrived.\n" +
      "Exit codes: 0 all verified, 1 refused (connection or file) or mismatch, 2 bad input " +
      "(missing file, unsafe name), 3 failure (timeout, connection broken, a file the receiver " +
      "could not write, e.g. disk full, or one send could not read).\n" +
      conflictsHelp(CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag send report.pdf data.bin 127.0.0.1:9009\n" +
      "  netdiag send backup.tar 9009 --json\n" +
      "  netdiag send -6 notes.txt localhost:9009\n" +
      "  netdiag send image.iso ./recv.sock",
  },
});

/**
 * The flags of `netdiag probe`: their types, parsers and declarations, and the flags that
 * exclude each other. Light (no engine code), for the command's definition.
 * @module
 */
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseCount } from "../../../core/parse_number.ts";
import { parsePortList, type PortToken } from "../../../core/port_list.ts";
import { FAMILY_CONFLICT, type FlagConflict, JSON_NDJSON } from "../../flag_conflicts.ts";
import { familyFlags, streamFlags } from "../../flags.ts";
import { proposePortList } from "../completions/propose.ts";
import { parsePayload, parseRetries } from "./parsers.ts";

export { parsePayload, parseRetries };

/** The flags of `netdiag probe`. */
export interface ProbeFlags {
  readonly ports?: PortToken[];
  readonly udp?: boolean;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
  readonly payload?: Uint8Array;
  readonly timeout: number;
  readonly retries: number;
  readonly rate?: number;
  readonly concurrency?: number;
  readonly threads?: number;
  readonly wait?: number;
  readonly until: "open" | "closed";
  readonly any?: boolean;
  readonly interval: number;
  readonly all?: boolean;
  readonly open?: boolean;
  readonly json?: boolean;
  readonly ndjson?: boolean;
  readonly quiet?: boolean;
}

/** Flags of `probe` that cannot be given together. */
export const PROBE_CONFLICTS: readonly FlagConflict[] = [
  JSON_NDJSON,
  FAMILY_CONFLICT,
  { flags: ["quiet", "json", "ndjson"], reason: "--quiet prints nothing" },
  { flags: ["open", "all"], reason: "--open shows open endpoints only" },
];

const duration = (what: string) => (text: string) => parseDuration(text, { what });
const count = (what: string, max: number) => (text: string) => parseCount(text, what, max);

/** The flag declarations of `probe`. */
export const probeFlags = {
  ports: {
    kind: "parsed",
    parse: parsePortList,
    brief: "Ports for targets without their own: 22,80,8000-8100,http,ssh",
    placeholder: "list",
    optional: true,
    proposeCompletions: proposePortList,
  },
  udp: { kind: "boolean", brief: "Probe UDP: send a datagram, wait for a reply", optional: true },
  ...familyFlags,
  payload: {
    kind: "parsed",
    parse: parsePayload,
    brief: "UDP payload: text with \\n-style escapes, or 0x-hex bytes (default empty; needs --udp)",
    placeholder: "text|0xhex",
    optional: true,
  },
  timeout: {
    kind: "parsed",
    parse: duration("timeout"),
    brief: "Per-attempt timeout: no answer by then is filtered (TCP) or open|filtered (UDP)",
    placeholder: "duration",
    default: "1s",
  },
  retries: {
    kind: "parsed",
    parse: parseRetries,
    brief: "Extra attempts after silence (0-10); refusals are never retried",
    placeholder: "n",
    default: "0",
  },
  rate: {
    kind: "parsed",
    parse: count("rate", 1_000_000),
    brief: "At most this many probes started per second (default unlimited)",
    placeholder: "n",
    optional: true,
  },
  concurrency: {
    kind: "parsed",
    parse: count("concurrency", 65_536),
    brief: "Probes in flight at once, all threads (default 256 a thread, Deno 128; ulimit -n caps)",
    placeholder: "n",
    optional: true,
  },
  threads: {
    kind: "parsed",
    parse: count("threads", 16),
    brief: "Threads for a TCP scan (default one per core, at most 4, if 4096+ probes each)",
    placeholder: "n",
    optional: true,
  },
  wait: {
    kind: "parsed",
    parse: duration("wait"),
    brief: "Keep probing until the condition holds or this deadline passes (exit 1)",
    placeholder: "duration",
    optional: true,
  },
  until: {
    kind: "enum",
    values: ["open", "closed"],
    brief: "The state to wait for (and to expect without --wait)",
    default: "open",
  },
  any: {
    kind: "boolean",
    brief: "Any one endpoint in the state suffices (default: every one)",
    optional: true,
  },
  interval: {
    kind: "parsed",
    parse: duration("interval"),
    brief: "Pause between --wait rounds",
    placeholder: "duration",
    default: "500ms",
  },
  all: {
    kind: "boolean",
    brief: "Show every state for ranges and blocks (default: open ports only)",
    optional: true,
  },
  open: {
    kind: "boolean",
    brief: "Print and keep only open endpoints, in every format (the summary counts all)",
    optional: true,
  },
  ...streamFlags,
  quiet: { kind: "boolean", brief: "Print nothing; only the exit code tells", optional: true },
} as const;

/** The short flags of `probe`. */
export const probeAliases = { j: "json", p: "ports", q: "quiet", u: "udp", w: "timeout" } as const;

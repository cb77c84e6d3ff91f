/**
 * The flags of `netdiag check` (and the target flags `ping` shares): their types, parsers and
 * declarations, and the flags that exclude each other. Light (no engine code), for the
 * definitions.
 * @module
 */
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseCount, parseInteger } from "../../../core/parse_number.ts";
import { parseSlo, parseStatusRanges } from "../../../check/expect.ts";
import type { Slo, StatusRange } from "../../../check/types.ts";
import { parseByteSize } from "../../../core/parse_size.ts";
import { type FlagConflict, JSON_NDJSON } from "../../flag_conflicts.ts";
import { parseBodyPattern } from "./parsers.ts";
import { streamFlags } from "../../flags.ts";
import { targetAliases, targetFlags } from "./target_flags.ts";

export { targetAliases, targetFlags };

const duration = (what: string, minMs = 1) => (t: string) => parseDuration(t, { what, minMs });

/** The flags that choose and reach the target, shared by `check` and `ping`. */
export interface TargetFlags {
  readonly tls?: boolean;
  readonly resolve?: readonly string[];
  readonly source?: "system" | "hosts" | "dns";
  readonly server?: string;
  readonly hostsFile?: string;
  readonly unixSocket?: string;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
  readonly servername?: string;
  readonly ca?: string;
  readonly insecure?: boolean;
  readonly request?: string;
  readonly header?: readonly string[];
  readonly timeout: number;
}

/** The flags of `netdiag check`. */
export interface CheckFlags extends TargetFlags {
  readonly allAddrs?: boolean;
  readonly follow?: boolean;
  readonly maxRedirects: number;
  readonly maxBody: number;
  readonly expectStatus?: readonly StatusRange[];
  readonly certMinDays?: number;
  readonly expectBody?: RegExp;
  readonly slo?: Slo;
  readonly count?: number;
  readonly interval?: number;
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/** Flags of `check` that cannot be given together. */
export const CHECK_CONFLICTS: readonly FlagConflict[] = [
  JSON_NDJSON,
  { flags: ["ipv4", "ipv6"] },
  { flags: ["allAddrs", "count"], reason: "--all-addrs reports every address once" },
];

/** The flag declarations of `check`. */
export const checkFlags = {
  ...targetFlags,
  allAddrs: {
    kind: "boolean",
    brief: "Connect to every address of the host and report each",
    optional: true,
  },
  follow: { kind: "boolean", brief: "Follow HTTP redirects, each hop timed", optional: true },
  maxRedirects: {
    kind: "parsed",
    parse: (t: string) => parseInteger(t, { min: 0, max: 50, what: "max redirects", hex: false }),
    brief: "With --follow: at most this many redirects (0-50)",
    placeholder: "n",
    default: "10",
  },
  maxBody: {
    kind: "parsed",
    parse: (t: string) => parseByteSize(t, { what: "max body", max: 1024 ** 3 }),
    brief: "Read at most this many bytes of a response body",
    placeholder: "size",
    default: "1M",
  },
  expectStatus: {
    kind: "parsed",
    parse: parseStatusRanges,
    brief: "Status codes that pass: 200-399, 200,204 (default 200-399)",
    placeholder: "codes",
    optional: true,
  },
  certMinDays: {
    kind: "parsed",
    parse: (t: string) =>
      parseInteger(t, { min: 0, max: 36500, what: "cert min days", hex: false }),
    brief: "Fail when the server certificate expires within this many days",
    placeholder: "days",
    optional: true,
  },
  expectBody: {
    kind: "parsed",
    parse: parseBodyPattern,
    brief: "Fail unless the body (up to --max-body) matches this regular expression",
    placeholder: "regex",
    optional: true,
  },
  slo: {
    kind: "parsed",
    parse: parseSlo,
    brief: "Time limits, cumulative as curl's: total=500ms,connect=100ms (also dns, tls, ttfb)",
    placeholder: "limits",
    optional: true,
  },
  count: {
    kind: "parsed",
    parse: (t: string) => parseCount(t, "count", 1_000_000),
    brief: "Repeat the check this many times (as ping does)",
    placeholder: "n",
    optional: true,
  },
  interval: {
    kind: "parsed",
    parse: duration("interval", 0),
    brief: "With --count: pause between checks (default 1s)",
    placeholder: "duration",
    optional: true,
  },
  ...streamFlags,
} as const;

/** The short flags of `check`. */
export const checkAliases = {
  ...targetAliases,
  L: "follow",
  c: "count",
  i: "interval",
  j: "json",
} as const;

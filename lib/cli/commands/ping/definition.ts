/**
 * `netdiag ping TARGET`: the command's flags, help and loader. Light: the engine (lib/check/)
 * loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseCount } from "../../../core/parse_number.ts";
import { documented } from "../../documented.ts";
import { conflictsHelp, type FlagConflict, JSON_NDJSON } from "../../flag_conflicts.ts";
import { streamFlags } from "../../flags.ts";
import { targetAliases, type TargetFlags, targetFlags } from "../check/flags.ts";

/** The flags of `netdiag ping`. */
export interface PingFlags extends TargetFlags {
  readonly count?: number;
  readonly interval: number;
  readonly deadline?: number;
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/** Flags of `ping` that cannot be given together. */
export const PING_CONFLICTS: readonly FlagConflict[] = [JSON_NDJSON, { flags: ["ipv4", "ipv6"] }];

/** `netdiag ping TARGET`: tcping-style repeated connects (TLS or HTTP when the target says so). */
export const pingCommand = buildCommand({
  loader: async () => documented("ping", (await import("./run.ts")).pingCommand, PING_CONFLICTS),
  parameters: {
    flags: {
      ...targetFlags,
      count: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "count", 1_000_000),
        brief: "Stop after this many attempts (default: until Ctrl-C or --deadline)",
        placeholder: "n",
        optional: true,
      },
      interval: {
        kind: "parsed",
        parse: (t: string) => parseDuration(t, { what: "interval", minMs: 0 }),
        brief: "Pause between the starts of attempts",
        placeholder: "duration",
        default: "1s",
      },
      deadline: {
        kind: "parsed",
        parse: (t: string) => parseDuration(t, { what: "deadline" }),
        brief: "Stop after this long, however many attempts were made",
        placeholder: "duration",
        optional: true,
      },
      ...streamFlags,
    },
    aliases: { ...targetAliases, c: "count", i: "interval", j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "host:port (TCP connect), host:port --tls, or https://… or http://… (a request)",
        placeholder: "target",
        parse: String,
      }],
    },
  },
  docs: {
    brief: "Ping a service: repeated TCP connects (or TLS handshakes, HTTP requests) with stats",
    fullDescription: "tcping-style: one attempt per --interval on a fresh connection, each " +
      "printed as it ends (the address and the time, or why it failed); then a ping-style " +
      "summary: sent, received, loss, min/avg/max/mdev, p50/p90/p99 and the longest up and " +
      "down streaks. A host:port target is a TCP connect; --tls adds a handshake; an http:// " +
      "or https:// URL makes each attempt a request (status 100-399 counts as up). Runs until " +
      "--count attempts, --deadline or Ctrl-C, which still prints the summary.\n" +
      "Exit codes: 0 at least one attempt succeeded, 1 every attempt failed, 2 bad input, " +
      "3 the host could not be resolved, 130 interrupted (the summary still printed).\n" +
      conflictsHelp(PING_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag ping 127.0.0.1:22\n" +
      "  netdiag ping example.com:443 --tls -c 5\n" +
      "  netdiag ping https://example.com/health --interval 500ms --deadline 30s\n" +
      "  netdiag ping db.internal:5432 -c 100 -i 0 --json",
  },
});

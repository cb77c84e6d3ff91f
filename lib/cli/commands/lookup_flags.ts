/**
 * Flags shared by the name-lookup commands (`resolve`, `reverse`, `dns`): where to ask, how
 * long to wait, how many at once. Light: loaded at start-up with the command definitions.
 * @module
 */
import { type DnsServer, parseDnsServer } from "../../core/dns_server.ts";
import { parseDuration } from "../../core/parse_duration.ts";
import { parseCount } from "../../core/parse_number.ts";
import type { SourceChoice } from "../../resolve/options.ts";
import { JSON_NDJSON } from "../flag_conflicts.ts";
import { quietSummaryFlag, streamFlags } from "../flags.ts";
import { proposeFiles } from "./completions/propose.ts";

/** The flags every lookup command has. */
export interface LookupFlags {
  readonly server?: DnsServer;
  readonly timeout: number;
  readonly concurrency: number;
  readonly json?: boolean;
  readonly ndjson?: boolean;
  /** No per-result lines in human output: only the summary line and the exit code. */
  readonly quiet?: boolean;
}

/** The flags of `resolve` and `reverse`. */
export interface NameLookupFlags extends LookupFlags {
  readonly source?: SourceChoice;
  readonly hostsFile?: string;
}

/** `--timeout`: one lookup's time limit (`5s` by default, 10 minutes at most). */
export const timeoutFlag = {
  timeout: {
    kind: "parsed",
    parse: (text: string) => parseDuration(text, { what: "timeout", maxMs: 600_000 }),
    brief: "Give up on a lookup after this long",
    default: "5s",
  },
} as const;

/** `--server`, `--timeout`, `--concurrency`, `--json`, `--ndjson`. */
export const lookupFlags = {
  ...streamFlags,
  ...quietSummaryFlag,
  server: {
    kind: "parsed",
    parse: parseDnsServer,
    brief: "DNS server to ask, IP[:PORT] or [IPv6]:PORT (default: first nameserver in " +
      "/etc/resolv.conf)",
    placeholder: "host[:port]",
    optional: true,
  },
  ...timeoutFlag,
  concurrency: {
    kind: "parsed",
    parse: (text: string) => parseCount(text, "concurrency", 1024),
    brief: "Lookups in flight at once when given many names",
    default: "32",
  },
} as const;

/** `--source`, `--hosts-file`, plus {@link lookupFlags}. */
export const nameLookupFlags = {
  ...lookupFlags,
  source: {
    kind: "enum",
    values: ["system", "hosts", "dns", "all"],
    brief: "Where to look: system (getaddrinfo), hosts (the hosts file), dns (a DNS server), " +
      "all (side by side); default system, or dns with --server",
    optional: true,
  },
  hostsFile: {
    kind: "parsed",
    parse: String,
    brief: "Hosts file to read (default /etc/hosts)",
    placeholder: "path",
    optional: true,
    proposeCompletions: proposeFiles,
  },
} as const;

/** The conflicts every lookup command declares: `--json` / `--ndjson`. */
export const LOOKUP_CONFLICTS = [JSON_NDJSON] as const;

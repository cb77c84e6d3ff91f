/**
 * Flags shared by the name-lookup commands (`resolve`, `reverse`, `dns`): where to ask, how
 * long to wait, how many at once. Cheap: loaded at start-up.
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { type DnsServer, parseDnsServer } from "../core/dns_server.ts";
import type { LookupSource } from "../core/name_lookup.ts";
import { parseDuration } from "../core/parse_duration.ts";
import { parseCount } from "../core/parse_number.ts";
import { isRegularFile } from "../runtime/read_text.ts";
import { streamFlags } from "./flags.ts";

/** `--source` values. */
export type SourceChoice = LookupSource | "all";

/** The flags every lookup command has. */
export interface LookupFlags {
  readonly server?: DnsServer;
  readonly timeout: number;
  readonly concurrency: number;
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/** The flags of `resolve` and `reverse`. */
export interface NameLookupFlags extends LookupFlags {
  readonly source?: SourceChoice;
  readonly hostsFile?: string;
}

/** `--server`, `--timeout`, `--concurrency`, `--json`, `--ndjson`. */
export const lookupFlags = {
  ...streamFlags,
  server: {
    kind: "parsed",
    parse: parseDnsServer,
    brief: "DNS server to ask, IP[:PORT] or [IPv6]:PORT (default: first nameserver in " +
      "/etc/resolv.conf)",
    placeholder: "host[:port]",
    optional: true,
  },
  timeout: {
    kind: "parsed",
    parse: (text: string) => parseDuration(text, { what: "timeout", maxMs: 600_000 }),
    brief: "Give up on a lookup after this long",
    default: "5s",
  },
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
  },
} as const;

/** The sources a `--source` choice asks, and checks it against `--server`. */
export function pickSources(flags: NameLookupFlags): LookupSource[] {
  const choice = flags.source ?? (flags.server ? "dns" : "system");
  if (flags.server && (choice === "hosts" || (choice === "system" && flags.source))) {
    throw new InputError(
      `conflicting flags "--server" and "--source ${choice}": ` +
        `--server applies to --source dns or all`,
    );
  }
  return choice === "all" ? ["hosts", "dns", "system"] : [choice];
}

/**
 * The names and the address family asked for: `--ipv4` / `--ipv6` (`-4` / `-6` on the command
 * line, rewritten by lib/cli/run.ts).
 */
export function splitFamily(
  args: readonly string[],
  flags: { readonly ipv4?: boolean; readonly ipv6?: boolean },
): { names: string[]; family?: 4 | 6 } {
  if (flags.ipv4 && flags.ipv6) {
    throw new InputError('conflicting flags "-4" and "-6": choose one family');
  }
  const names = [...args];
  return {
    names,
    ...(flags.ipv4 ? { family: 4 as const } : flags.ipv6 ? { family: 6 as const } : {}),
  };
}

/**
 * Refuses a `--hosts-file` that exists but is not a regular file (a FIFO would keep the lookup
 * waiting for a writer, whatever `--timeout` says). A missing file is left to the lookup, which
 * reports it as "cannot read".
 */
export async function checkHostsFile(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const regular = await isRegularFile(path).catch(() => true);
  if (!regular) {
    throw new InputError(`cannot read hosts file ${quote(path)}: not a regular file`);
  }
}

/**
 * `netdiag resolve NAME...`: the command's flags, help and loader. Light: the engine
 * (lib/resolve/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { conflictsHelp, type FlagConflict } from "../../flag_conflicts.ts";
import { LOOKUP_CONFLICTS, type NameLookupFlags, nameLookupFlags } from "../lookup_flags.ts";

/** The flags of `netdiag resolve`. */
export interface ResolveFlags extends NameLookupFlags {
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
  readonly first?: boolean;
  readonly ex?: boolean;
}

/** Flags of `resolve` that cannot be given together. */
const CONFLICTS: readonly FlagConflict[] = [
  ...LOOKUP_CONFLICTS,
  { flags: ["ipv4", "ipv6"], reason: "choose one family" },
  { flags: ["first", "ex"] },
  { flags: ["ipv6", "first"], reason: "gethostbyname is IPv4 only" },
  { flags: ["ipv6", "ex"], reason: "gethostbyname_ex is IPv4 only" },
];

/** `netdiag resolve NAME...`: addresses of names, from getaddrinfo, the hosts file or DNS. */
export const resolveCommand = buildCommand({
  loader: async () => documented("resolve", (await import("./run.ts")).resolveCommand, CONFLICTS),
  parameters: {
    flags: {
      ...nameLookupFlags,
      ipv4: { kind: "boolean", brief: "IPv4 addresses only (-4)", optional: true },
      ipv6: { kind: "boolean", brief: "IPv6 addresses only (-6)", optional: true },
      first: {
        kind: "boolean",
        brief: "Only the address CPython's socket.gethostbyname returns",
        optional: true,
      },
      ex: {
        kind: "boolean",
        brief: "The gethostbyname_ex triple: canonical name, aliases, IPv4 addresses",
        optional: true,
      },
    },
    aliases: { j: "json", q: "quiet", w: "timeout" },
    positional: {
      kind: "array",
      parameter: {
        brief: "Names to resolve; - reads names from stdin, one a line",
        placeholder: "name",
        parse: String,
      },
    },
  },
  docs: {
    brief: "Resolve names to addresses (getaddrinfo, hosts file or DNS)",
    fullDescription: "Resolves each NAME and prints its addresses with their family, where the " +
      "answer came from (getaddrinfo; the hosts file and line; or the DNS server) and how long " +
      "it took. --source system (default) asks getaddrinfo, as programs do; --source hosts " +
      "reads only the hosts file; --source dns (or --server) asks a DNS server directly, " +
      "following CNAME chains; --source all shows the three side by side and says whether they " +
      "agree. --first gives what socket.gethostbyname returns, --ex the gethostbyname_ex " +
      "triple. Many names (or - for stdin) are resolved concurrently (--concurrency) and " +
      "printed in input order; --ndjson streams one line per name.\n" +
      "Exit codes: 0 every name resolved, 1 a name does not resolve (no such name or no " +
      "address), 2 bad input, 3 timeout or server failure, 130 interrupted.\n" +
      conflictsHelp(CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag resolve localhost\n" +
      "  netdiag resolve -4 --first example.com\n" +
      "  netdiag resolve --ex www.example.com --json\n" +
      "  netdiag resolve --source all example.com\n" +
      "  netdiag resolve --server 127.0.0.1:5353 a.test b.test\n" +
      "  netdiag resolve --ndjson - < names.txt",
  },
});

/**
 * `netdiag dns NAME [TYPE...]`: the command's flags, help and loader. Light: the engine
 * (lib/resolve/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { RECORD_TYPES } from "../../../core/dns_types.ts";
import { documented } from "../../documented.ts";
import { conflictsHelp, FAMILY_CONFLICT, type FlagConflict } from "../../flag_conflicts.ts";
import { LOOKUP_CONFLICTS, type LookupFlags, lookupFlags } from "../lookup_flags.ts";
import { proposeDnsOperand, proposeFiles } from "../completions/propose.ts";

/** The flags of `netdiag dns`. */
export interface DnsFlags extends LookupFlags {
  readonly reverse?: string;
  readonly file?: string;
  readonly tcp?: boolean;
  readonly ipv4?: boolean;
  readonly ipv6?: boolean;
}

/** Flags of `dns` that cannot be given together. */
const CONFLICTS: readonly FlagConflict[] = [
  ...LOOKUP_CONFLICTS,
  FAMILY_CONFLICT,
  { flags: ["reverse", "file"], reason: "ask for one address or read a file of queries" },
];

/** `netdiag dns NAME [TYPE...]`: ask a DNS server directly, dig-style. */
export const dnsCommand = buildCommand({
  loader: async () => documented("dns", (await import("./run.ts")).dnsCommand, CONFLICTS),
  parameters: {
    flags: {
      ...lookupFlags,
      reverse: {
        kind: "parsed",
        parse: String,
        brief: "Query the PTR name of this address (in-addr.arpa / ip6.arpa)",
        placeholder: "addr",
        optional: true,
      },
      file: {
        kind: "parsed",
        parse: String,
        brief: "Read queries from this file, one `NAME [TYPE...]` a line (- for stdin), as dig -f",
        placeholder: "file",
        optional: true,
        proposeCompletions: proposeFiles,
      },
      tcp: { kind: "boolean", brief: "Ask over TCP instead of UDP", optional: true },
      ipv4: {
        kind: "boolean",
        brief: "Reach the server over IPv4 only, as dig -4 (-4)",
        optional: true,
      },
      ipv6: {
        kind: "boolean",
        brief: "Reach the server over IPv6 only, as dig -6 (-6)",
        optional: true,
      },
    },
    aliases: { f: "file", j: "json", q: "quiet", t: "tcp", w: "timeout", x: "reverse" },
    positional: {
      kind: "array",
      parameter: {
        brief: `NAME then its record types (${RECORD_TYPES.join(", ")}; default A), then ` +
          "more NAMEs with theirs; NAME - reads names from stdin",
        placeholder: "name type",
        parse: String,
        proposeCompletions: proposeDnsOperand,
      },
    },
  },
  docs: {
    brief: "Query a DNS server for records (A, AAAA, MX, TXT, SRV, SOA, PTR, CAA, …)",
    fullDescription: "Sends each query straight to a DNS server (--server, default the first " +
      "nameserver in /etc/resolv.conf) over UDP, retrying over TCP when the answer is " +
      "truncated (--tcp: TCP only), and prints the records with their TTLs (names without " +
      "trailing dots; a TXT record's strings stay together). The outcome of each query is told " +
      "apart: NOERROR, NODATA (the name exists, no records of the type), NXDOMAIN, SERVFAIL, " +
      "REFUSED or any other response code by name (BADVERS, YXDOMAIN, RCODE15, …), TIMEOUT, " +
      "MALFORMED (a reply that does not decode). Only replies from the server's address and " +
      "port, with the query's id and question, are accepted. Several names (NAME TYPE... " +
      "NAME TYPE..., each NAME with the types after it, as dig reads them; NAME -; -f FILE) " +
      "are asked concurrently (--concurrency) and printed in input order, one block each. " +
      "-4 / -6 (--ipv4 / --ipv6) reach the server over that family, as dig's do: the first " +
      "nameserver of the family in /etc/resolv.conf, or a --server of that family.\n" +
      "Exit codes: 0 every query answered, 1 NXDOMAIN or NODATA, 2 bad input, 3 timeout, " +
      "server failure, refused, unreachable or malformed reply, 130 interrupted.\n" +
      conflictsHelp(CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag dns example.com\n" +
      "  netdiag dns example.com MX TXT --server 1.1.1.1\n" +
      "  netdiag dns example.com example.org AAAA example.net MX --json\n" +
      "  netdiag dns -6 example.com\n" +
      "  netdiag dns -x 127.0.0.1 --server 127.0.0.1:5353\n" +
      "  netdiag dns -f queries.txt --server 127.0.0.1:5353 --ndjson\n" +
      "  netdiag dns example.com SOA --json",
  },
});

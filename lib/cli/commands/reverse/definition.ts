/**
 * `netdiag reverse ADDR...`: the command's flags, help and loader. Light: the engine
 * (lib/resolve/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { conflictsHelp } from "../../flag_conflicts.ts";
import { LOOKUP_CONFLICTS, nameLookupFlags } from "../lookup_flags.ts";

/** `netdiag reverse ADDR...`: gethostbyaddr, from the hosts file and PTR records. */
export const reverseCommand = buildCommand({
  loader: async () =>
    documented("reverse", (await import("./run.ts")).reverseCommand, LOOKUP_CONFLICTS),
  parameters: {
    flags: { ...nameLookupFlags },
    aliases: { j: "json", q: "quiet", w: "timeout" },
    positional: {
      kind: "array",
      parameter: {
        brief: "Addresses (or names, looked up first); - reads them from stdin, one a line",
        placeholder: "addr",
        parse: String,
      },
    },
  },
  docs: {
    brief: "Reverse-resolve addresses to names (gethostbyaddr: hosts file, then PTR)",
    fullDescription: "Looks each ADDR up as CPython's socket.gethostbyaddr does: host name, " +
      "aliases and addresses, from the hosts file (first line with the address) and then a PTR " +
      "query to the DNS server (--source system, the default). --source hosts or dns asks one " +
      "of them only; --source all shows both and gethostbyaddr's combination side by side. A " +
      "name is resolved to its first address first, as CPython does. Many addresses (or - for " +
      "stdin) are looked up concurrently and printed in input order.\n" +
      "Exit codes: 0 every address has a name, 1 an address has none, 2 bad input, " +
      "3 timeout or server failure, 130 interrupted.\n" +
      conflictsHelp(LOOKUP_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag reverse 127.0.0.1\n" +
      "  netdiag reverse --source dns --server 127.0.0.1:5353 10.0.0.1 ::1\n" +
      "  netdiag reverse --json 127.0.0.1",
  },
});

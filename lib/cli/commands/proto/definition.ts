/** The `proto` command's definition. */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { jsonFlag } from "../../flags.ts";

/** `proto NAME|NUMBER`: getprotobyname / getprotobynumber. */
export const protoCommand = buildCommand({
  loader: async () => documented("proto", (await import("./run.ts")).protoCommand),
  parameters: {
    flags: { ...jsonFlag },
    aliases: { j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "Protocol name or alias, or number",
        placeholder: "name|number",
        parse: String,
      }],
    },
  },
  docs: {
    brief: "Look up an IP protocol by name or number, as getprotobyname / getprotobynumber do",
    fullDescription: "Looks a protocol up in /etc/protocols (or, when the file is missing, in " +
      "a built-in copy of Debian netbase's table): a name matches an official name or an alias, " +
      "a number the protocol number. Prints every matching entry in file order as " +
      "'name number aliases…'; the first line is the C library's answer. --json says which " +
      "source answered. Not found exits 1.\n\n" +
      "Examples:\n  netdiag proto tcp          prints tcp 6 TCP\n" +
      "  netdiag proto 17           prints udp 17 UDP\n" +
      "  netdiag proto ipv6-icmp --json",
  },
});

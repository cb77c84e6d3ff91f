/** The `service` command's definition. */
import { buildCommand } from "@stricli/core";
import { InputError, quote } from "../../../core/errors.ts";
import { documented } from "../../documented.ts";
import { jsonFlag } from "../../flags.ts";

/** Parses `--proto`: a protocol name as the services file spells it (tcp, udp, sctp, …). */
function parseProtoName(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(text)) {
    throw new InputError(`invalid protocol ${quote(text)}: expected a name such as tcp or udp`);
  }
  return text;
}

/** `service NAME|PORT [--proto P]`: getservbyname / getservbyport. */
export const serviceCommand = buildCommand({
  loader: async () => documented("service", (await import("./run.ts")).serviceCommand),
  parameters: {
    flags: {
      ...jsonFlag,
      proto: {
        kind: "parsed",
        parse: parseProtoName,
        brief: "Only entries of this protocol (tcp, udp, …); default: every protocol",
        placeholder: "proto",
        optional: true,
        proposeCompletions: () => ["tcp", "udp"],
      },
    },
    aliases: { j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "Service name or alias, or port number",
        placeholder: "name|port",
        parse: String,
      }],
    },
  },
  docs: {
    brief: "Look up a service by name or port, as getservbyname / getservbyport do",
    fullDescription: "Looks a service up in /etc/services (or, when the file is missing, in a " +
      "built-in copy of Debian netbase's table): a name matches an official name or an alias, a " +
      "number matches the port. Prints every matching entry in file order as " +
      "'name port/proto aliases…'; the first line is the C library's answer. --json says which " +
      "source answered. Not found exits 1.\n\n" +
      "Examples:\n  netdiag service http              prints http 80/tcp www\n" +
      "  netdiag service 443               prints https 443/tcp and https 443/udp\n" +
      "  netdiag service domain --proto udp --json",
  },
});

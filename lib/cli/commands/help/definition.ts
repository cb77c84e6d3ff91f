/** The `help` command's definition: `netdiag help [COMMAND...]` is `netdiag COMMAND... --help`. */
import { buildCommand } from "@stricli/core";

/** `help [COMMAND...]`: the help of netdiag or of a command (`help echo serve`). */
export const helpCommand = buildCommand({
  loader: async () => (await import("./run.ts")).helpCommand,
  parameters: {
    flags: {},
    positional: {
      kind: "array",
      parameter: {
        brief: "The command (and subcommand) to explain",
        placeholder: "command",
        parse: String,
      },
    },
  },
  docs: {
    brief: "Show the help of netdiag or of a command (the same as COMMAND --help)",
    fullDescription: "Prints the help of the command named (an alias names its command), or of " +
      "netdiag itself with no name. An unknown name is a usage error (exit 2) with suggestions.\n\n" +
      "Examples:\n  netdiag help\n  netdiag help probe\n  netdiag help echo serve\n  netdiag help nc",
  },
});

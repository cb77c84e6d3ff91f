/** The `completions` and hidden `__complete` commands' definitions. */
import { buildCommand } from "@stricli/core";
import { InputError, quote } from "../../../core/errors.ts";
import { documented } from "../../documented.ts";

const SHELL_NAMES = ["bash", "zsh", "fish"] as const;

/** Parses the `completions` operand: one of {@link SHELL_NAMES}, else an input error. */
function parseShell(text: string): typeof SHELL_NAMES[number] {
  const shell = SHELL_NAMES.find((s) => s === text);
  if (shell) return shell;
  throw new InputError(`unsupported shell ${quote(text)}: expected bash, zsh or fish`);
}

/** `completions bash|zsh|fish`: prints a completion script. */
export const completionsCommand = buildCommand({
  loader: async () => documented("completions", (await import("./run.ts")).completionsCommand),
  parameters: {
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "Shell: bash, zsh or fish",
        placeholder: "shell",
        parse: parseShell,
        proposeCompletions: () => SHELL_NAMES,
      }],
    },
  },
  docs: {
    brief: "Print a shell completion script (bash, zsh or fish)",
    fullDescription: "Prints a completion script for bash, zsh or fish. The script asks " +
      "netdiag itself for proposals, so commands, flags and values complete the same way in " +
      "every shell.\n\n" +
      "Examples:\n  source <(netdiag completions bash)\n  source <(netdiag completions zsh)\n" +
      "  netdiag completions fish | source\n" +
      "  netdiag completions fish > ~/.config/fish/completions/netdiag.fish",
  },
});

/** `__complete <words…>` (hidden): one completion proposal per line for the shell scripts. */
export const completeCommand = buildCommand({
  loader: async () => documented("__complete", (await import("./run.ts")).completeCommand),
  parameters: {
    flags: {
      describe: {
        kind: "boolean",
        brief: "Follow each proposal with a tab and its description",
        optional: true,
      },
    },
    positional: {
      kind: "array",
      parameter: {
        brief: "Words after `netdiag`, the last one partial",
        placeholder: "words",
        parse: String,
      },
    },
  },
  docs: {
    brief: "Propose completions for the words after `netdiag` (used by the completion scripts)",
  },
});

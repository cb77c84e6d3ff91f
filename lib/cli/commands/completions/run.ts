/** The `completions` and hidden `__complete` commands, loaded when one of them runs. */
import { proposeCompletions } from "@stricli/core";
import { completionScript, formatProposals, type Shell } from "../../../core/completion_scripts.ts";
import type { NetdiagContext } from "../../context.ts";
import { operandsBefore } from "./operands.ts";
import { beginCompletion, completionDirective } from "./propose.ts";

/** Runs `completions SHELL`: prints the script. */
export function completionsCommand(this: NetdiagContext, _flags: object, shell: Shell): void {
  this.io.write("stdout", completionScript(shell));
}

/**
 * Runs `__complete [--describe] -- <words…>`: one proposal per line, then `:files` or `:dirs`
 * when the shell should also complete file or directory names there.
 */
export async function completeCommand(
  this: NetdiagContext,
  flags: { describe?: boolean },
  ...words: string[]
): Promise<void> {
  // Imported here, not at the top: the route table (app.ts) imports this command's definition.
  const { app, root } = await import("../../app.ts");
  const typed = words.length ? words : [""];
  let commandContext: object | undefined;
  const context = {
    ...this,
    // Stricli asks for the command's context once it knows the route: proposers then learn
    // which operands come before the word being completed.
    forCommand: ({ prefix }: { prefix: readonly string[] }) => {
      const forCommand: NetdiagContext = { ...this };
      beginCompletion(forCommand, operandsBefore(root, prefix, typed));
      commandContext = forCommand;
      return forCommand;
    },
  };
  const proposals = await proposeCompletions(app, typed, context);
  const directive = commandContext && completionDirective(commandContext);
  this.io.write(
    "stdout",
    formatProposals(proposals, flags.describe === true) + (directive ? `${directive}\n` : ""),
  );
}

/** The `completions` and hidden `__complete` commands, loaded when one of them runs. */
import { proposeCompletions } from "@stricli/core";
import { completionScript, formatProposals, type Shell } from "../../../core/completion_scripts.ts";
import type { NetdiagContext } from "../../context.ts";

/** Runs `completions SHELL`: prints the script. */
export function completionsCommand(this: NetdiagContext, _flags: object, shell: Shell): void {
  this.io.write("stdout", completionScript(shell));
}

/** Runs `__complete [--describe] -- <words…>`: one proposal per line. */
export async function completeCommand(
  this: NetdiagContext,
  flags: { describe?: boolean },
  ...words: string[]
): Promise<void> {
  // Imported here, not at the top: the route table (app.ts) imports this command's definition.
  const { app } = await import("../../app.ts");
  const proposals = await proposeCompletions(app, words.length ? words : [""], this);
  this.io.write("stdout", formatProposals(proposals, flags.describe === true));
}

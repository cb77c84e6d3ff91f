/** The `help` command, loaded when it runs. */
import { InputError } from "../../../core/errors.ts";
import type { NetdiagContext } from "../../context.ts";
import { formatHelp } from "../../help.ts";
import { helpWidth } from "../../help_layout.ts";
import { walkNames } from "../../help_request.ts";
import { commandSuggestions } from "../../closest_names.ts";
import { unknownCommandLine } from "../../text.ts";

/** Runs `help [COMMAND...]`: prints the help of the route or command the names lead to. */
export async function helpCommand(
  this: NetdiagContext,
  _flags: Record<string, never>,
  ...names: string[]
): Promise<void> {
  const { root, ROUTE_ALIASES } = await import("../../app.ts");
  const walk = walkNames(root, names);
  if (!walk.ok || walk.rest.length > 0) {
    const input = walk.ok ? walk.rest[0] : walk.unknown;
    const at = walk.ok ? root : walk.at;
    const known = at.getAllEntries().filter((e) => !e.hidden)
      .map((e) => e.name["convert-camel-to-kebab"]);
    const suggestions = commandSuggestions(input, known, at === root);
    throw new InputError(unknownCommandLine(input, suggestions).replace(/^netdiag: /, ""));
  }
  const { target, prefix } = walk.request;
  const extras = target === root ? { aliases: ROUTE_ALIASES, root: true } : {};
  this.io.write("stdout", formatHelp(target, prefix, helpWidth(this.io), extras));
}

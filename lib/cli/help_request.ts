/**
 * Finds what a command line asks help for: `--help`/`-h` (before `--`) after a command or route,
 * a route map given no command (`netdiag`, `netdiag echo`), or `netdiag help [CMD...]`.
 * @module
 */
import type { CommandContext, RouteMap } from "@stricli/core";
import type { HelpTarget } from "./help.ts";

/** What help was asked for: the target and its canonical name path (`["netdiag", "probe"]`). */
export interface HelpRequest<C extends CommandContext> {
  readonly target: HelpTarget<C>;
  readonly prefix: readonly string[];
}

/** The outcome of walking names: a target, or the first name that is no command. */
export type Walk<C extends CommandContext> =
  | { readonly ok: true; readonly request: HelpRequest<C>; readonly rest: readonly string[] }
  | { readonly ok: false; readonly unknown: string; readonly at: RouteMap<C> };

function isRouteMap<C extends CommandContext>(t: HelpTarget<C>): t is RouteMap<C> {
  return "getAllEntries" in t;
}

/** The entry of `map` named `input` (kebab-case, camelCase or an alias). */
function entryFor<C extends CommandContext>(
  map: RouteMap<C>,
  input: string,
): ReturnType<RouteMap<C>["getAllEntries"]>[number] | undefined {
  return map.getAllEntries().find((e) =>
    e.name["convert-camel-to-kebab"] === input || e.name.original === input ||
    e.aliases.includes(input)
  );
}

/** Walks `names` down from `root` while they name routes; stops at a command or a flag. */
export function walkNames<C extends CommandContext>(
  root: RouteMap<C>,
  names: readonly string[],
): Walk<C> {
  let target: HelpTarget<C> = root;
  const prefix = ["netdiag"];
  let i = 0;
  for (; i < names.length && isRouteMap(target); i++) {
    if (names[i].startsWith("-")) break;
    const map: RouteMap<C> = target;
    const entry: ReturnType<RouteMap<C>["getAllEntries"]>[number] | undefined = entryFor(
      map,
      names[i],
    );
    if (!entry) return { ok: false, unknown: names[i], at: map };
    target = entry.target;
    prefix.push(entry.name["convert-camel-to-kebab"]);
  }
  return { ok: true, request: { target, prefix }, rest: names.slice(i) };
}

const HELP_FLAGS = new Set(["--help", "-h"]);

/**
 * The help `args` ask for through `--help`/`-h` or by naming only a route map; undefined when
 * they ask for something else (a command to run, `--version`, an unknown name: Stricli then
 * answers).
 */
export function helpRequest<C extends CommandContext>(
  root: RouteMap<C>,
  args: readonly string[],
): HelpRequest<C> | undefined {
  const escape = args.indexOf("--");
  const head = escape < 0 ? args : args.slice(0, escape);
  const walk = walkNames(root, head);
  if (!walk.ok) return undefined;
  const { request, rest } = walk;
  if (isRouteMap(request.target)) {
    return rest.length === 0 || HELP_FLAGS.has(rest[0]) ? request : undefined;
  }
  return rest.some((a) => HELP_FLAGS.has(a)) ? request : undefined;
}

/**
 * netdiag's help text, rendered from a command's or a route map's parameters and docs instead of
 * Stricli's (which neither wraps nor groups): wrapped to a width at word boundaries, flags
 * grouped, booleans as `--x`, the global flags (`--help`, `--debug`, `--no-FLAG`, `--`) once.
 * @module
 */
import type { Command, CommandContext, RouteMap } from "@stricli/core";
import { flagLabel, GROUP_ORDER, helpArguments, helpFlags, usageToken } from "./help_flags.ts";
import { columnFor, twoColumns, wrap, wrapParagraph, wrapTokens } from "./help_layout.ts";

/** A command or a route map (Stricli does not export the union's name). */
export type HelpTarget<C extends CommandContext> = Command<C> | RouteMap<C>;

/** What the help of a route map shows besides its entries. */
export interface RouteHelpExtras {
  /** `alias → command` pairs shown on one line (the root's aliases). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Whether this is the root (`--version` and `help` are then listed). */
  readonly root?: boolean;
}

function isRouteMap<C extends CommandContext>(t: HelpTarget<C>): t is RouteMap<C> {
  return "getAllEntries" in t;
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length ? ["", title, ...lines] : [];
}

function description(text: string | undefined, width: number): string[] {
  if (!text) return [];
  return ["", ...text.split("\n").flatMap((line) => wrapParagraph(line, width, ""))];
}

/** The flags every command answers to, documented once. */
function globalRows(hasBooleans: boolean, root: boolean, name: string): [string, string][] {
  const rows: [string, string][] = [
    ["  -h, --help", `Print this help and exit (same as: netdiag help${name ? ` ${name}` : ""})`],
  ];
  if (root) rows.push(["  -v, --version", "Print the version and exit (same as: netdiag version)"]);
  rows.push(["      --debug", "Show the stack trace of an unexpected error (or NETDIAG_DEBUG=1)"]);
  if (hasBooleans) {
    rows.push(["      --no-FLAG", "Turn an on/off flag off again (--no-json after --json)"]);
  }
  if (!root) rows.push(["      --", "Read every later word as an argument, never as a flag"]);
  return rows;
}

function commandHelp<C extends CommandContext>(
  command: Command<C>,
  prefix: readonly string[],
  width: number,
): string[] {
  const { groups, all } = helpFlags(command);
  const args = helpArguments(command);
  const head = `  ${prefix.join(" ")} `;
  const tokens = [...all.map(usageToken), ...args.tokens];
  const out = ["USAGE", ...wrapTokens(tokens, width, " ".repeat(head.length), head)];
  out.push(...description(command.fullDescription ?? command.brief, width));
  const booleans = all.some((f) => f.value === undefined);
  const globals = globalRows(booleans, false, prefix.slice(1).join(" "));
  const rows = all.map((f): [string, string] => [flagLabel(f), f.text]);
  const left = columnFor([...args.rows, ...rows, ...globals]);
  out.push(...section("ARGUMENTS", twoColumns(args.rows, width, left)));
  for (const group of GROUP_ORDER) {
    const flags = groups.get(group) ?? [];
    const title = group === "Options" ? "FLAGS" : `${group.toUpperCase()} FLAGS`;
    out.push(...section(title, twoColumns(flags.map((f) => [flagLabel(f), f.text]), width, left)));
  }
  out.push(...section("GLOBAL FLAGS", twoColumns(globals, width, left)));
  return out;
}

function routeHelp<C extends CommandContext>(
  map: RouteMap<C>,
  prefix: readonly string[],
  width: number,
  extras: RouteHelpExtras,
): string[] {
  const entries = map.getAllEntries().filter((e) => !e.hidden);
  const name = (e: (typeof entries)[number]) => e.name["convert-camel-to-kebab"];
  const usage = [`  ${prefix.join(" ")} <command> [arguments] [flags]`];
  if (extras.root) usage.push("  netdiag help [<command>]", "  netdiag --version");
  const rows = entries.map((e): [string, string] => [`  ${name(e)}`, e.target.brief]);
  const out = ["USAGE", ...usage];
  out.push(...description(map.fullDescription ?? map.brief, width));
  out.push(...section("COMMANDS", twoColumns(rows, width, columnFor(rows, 14))));
  const aliases = Object.entries(extras.aliases ?? {});
  if (aliases.length) {
    const byCommand = new Map<string, string[]>();
    for (const [alias, command] of aliases) {
      byCommand.set(command, [...(byCommand.get(command) ?? []), alias]);
    }
    const line = [...byCommand].map(([c, a]) => `${a.join(", ")} → ${c}`).join("; ");
    out.push(...section("ALIASES", wrap(line, width, "    ", "  ")));
  }
  const globals = globalRows(false, extras.root === true, prefix.slice(1).join(" "));
  out.push(...section("GLOBAL FLAGS", twoColumns(globals, width)));
  return out;
}

/**
 * The help text of `target` reached by `prefix` (`["netdiag", "echo", "serve"]`), wrapped to
 * `width`, ending with a newline.
 */
export function formatHelp<C extends CommandContext>(
  target: HelpTarget<C>,
  prefix: readonly string[],
  width: number,
  extras: RouteHelpExtras = {},
): string {
  const lines = isRouteMap(target)
    ? routeHelp(target, prefix, width, extras)
    : commandHelp(target, prefix, width);
  return lines.map((l) => l.trimEnd()).join("\n") + "\n";
}

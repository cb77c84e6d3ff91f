/**
 * Turns away command and flag names that only exist on `Object.prototype` before Stricli sees
 * them. Stricli looks names up with `name in table` and `table[name]` on plain objects, so
 * `constructor`, `__proto__`, `toString`, `--value-of` and the like "match" an inherited
 * function and crash the framework or confuse its messages. Only own entries are real names.
 * @module
 */
import type { Command, CommandContext, RouteMap } from "@stricli/core";

/** A command or a route map (Stricli does not export its name for the pair). */
type RoutingTarget<C extends CommandContext> = Command<C> | RouteMap<C>;

/** A name the guard turned away: an unknown command (with suggestions) or an unknown flag. */
export type RefusedName =
  | { readonly kind: "command"; readonly input: string; readonly corrections: string[] }
  | { readonly kind: "flag"; readonly input: string };

/** Whether a plain object answers `name` from its prototype (`constructor`, `__proto__`, …). */
export function isInheritedName(name: string): boolean {
  return name in {};
}

/** Stricli's kebab-case to camelCase conversion (`to-string` → `toString`). */
function camel(name: string): string {
  return name.replace(/-./g, (s) => s[1].toUpperCase());
}

/** Stricli's camelCase to kebab-case conversion (`toString` → `to-string`). */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Stricli's `--noFlag` / `--no-flag` negation undone, or undefined. */
function withoutNegation(name: string): string | undefined {
  if (!name.startsWith("no") || name.length <= 2) return undefined;
  if (name[2] === "-") return name.slice(4);
  const first = name[2];
  return first === first.toUpperCase() ? first.toLowerCase() + name.slice(3) : undefined;
}

const LONG_FLAG = /^--([a-z][a-z-.\d_]+)(?:=|$)/i;

/**
 * Whether `arg` is a long flag (`--name` or `--name=value`) that Stricli would resolve through
 * an inherited property: every spelling Stricli tries (as typed, camelCase, kebab-case, without
 * a `no` negation) is checked; one that is inherited and not an own flag of `flags` matches
 * something that is no flag.
 */
export function isInheritedFlag(arg: string, flags: object = {}): boolean {
  const match = LONG_FLAG.exec(arg);
  if (!match) return false;
  const name = match[1];
  const spellings = [name, camel(name), kebab(name)];
  for (const s of [...spellings]) {
    const bare = withoutNegation(s);
    if (bare !== undefined) spellings.push(bare);
  }
  return spellings.some((s) => isInheritedName(s) && !Object.hasOwn(flags, s));
}

/** The route of `map` named `input` (as written, kebab-case or an alias), or undefined. */
function ownRoute<C extends CommandContext>(
  map: RouteMap<C>,
  input: string,
): RoutingTarget<C> | undefined {
  const name = camel(input);
  return map.getAllEntries().find((e) =>
    e.name.original === input || e.name.original === name || e.aliases.includes(input)
  )?.target;
}

function isRouteMap<C extends CommandContext>(t: RoutingTarget<C>): t is RouteMap<C> {
  return "getAllEntries" in t;
}

/**
 * Walks `args` down the route tree from `root` as Stricli does and returns the first name that
 * would only match an inherited property: a command name (with the visible commands of its route
 * map as suggestions) or a long flag; undefined when there is none. Stops at `--`, and at the
 * first flag given to a route map (Stricli then shows help or the version and reads no further).
 */
export function findInheritedName<C extends CommandContext>(
  root: RouteMap<C>,
  args: readonly string[],
  suggest: (input: string, names: readonly string[]) => string[],
): RefusedName | undefined {
  let current: RoutingTarget<C> = root;
  for (const arg of args) {
    if (arg === "--") return undefined;
    if (!isRouteMap(current)) {
      if (isInheritedFlag(arg, current.parameters.flags)) return { kind: "flag", input: arg };
      continue;
    }
    if (arg.startsWith("-")) {
      return isInheritedFlag(arg) ? { kind: "flag", input: arg } : undefined;
    }
    const next: RoutingTarget<C> | undefined = ownRoute(current, arg);
    if (next) {
      current = next;
      continue;
    }
    if (!isInheritedName(arg) && !isInheritedName(camel(arg))) return undefined;
    const names = current.getAllEntries().filter((e) => !e.hidden)
      .map((e) => e.name["convert-camel-to-kebab"]);
    return { kind: "command", input: arg, corrections: suggest(arg, names) };
  }
  return undefined;
}

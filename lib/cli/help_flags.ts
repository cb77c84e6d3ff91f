/**
 * How a command's flags and arguments read in help: the usage-line tokens, the flag groups
 * ("Connection", "Timing", "Output", the command's own) and one row per flag. Booleans show as
 * `--x` (their `--no-x` negation is documented once, in the global flags).
 * @module
 */
import type { Command, CommandContext } from "@stricli/core";

/** The part of a Stricli flag parameter help reads (its kinds share these fields). */
interface FlagSpec {
  readonly kind: "boolean" | "counter" | "enum" | "parsed";
  readonly brief: string;
  readonly placeholder?: string;
  readonly optional?: boolean;
  readonly hidden?: boolean;
  readonly default?: unknown;
  readonly variadic?: boolean | string;
  readonly values?: readonly string[];
}

/** The part of a Stricli positional parameter help reads. */
interface PositionalSpec {
  readonly brief: string;
  readonly placeholder?: string;
  readonly optional?: boolean;
  readonly default?: string;
}

/** One flag as help shows it. */
export interface HelpFlag {
  /** `--idle-timeout` */
  readonly long: string;
  /** `-t`, or undefined. */
  readonly short?: string;
  /** `duration`, `open|closed`, or undefined for a boolean. */
  readonly value?: string;
  readonly required: boolean;
  readonly variadic: boolean;
  /** The brief with its default appended. */
  readonly text: string;
}

/** The groups flags are listed under, in order; a flag not named here is the command's own. */
const GROUP_OF: Readonly<Record<string, string>> = Object.fromEntries([
  ...["udp", "tcp", "unix", "ipv4", "ipv6", "host", "port", "ports", "server", "source"]
    .map((f) => [f, "Connection"]),
  ...["hosts-file", "payload", "send", "send-file", "keep-open", "framed", "stream", "family"]
    .map((f) => [f, "Connection"]),
  ...["timeout", "idle-timeout", "header-timeout", "wait", "interval", "rate", "retries"]
    .map((f) => [f, "Timing"]),
  ...["duration", "min-rate", "min-rate-window", "count", "total", "concurrency", "threads"]
    .map((f) => [f, "Timing"]),
  ...["json", "ndjson", "quiet", "verbose", "hex", "progress", "all", "open", "first", "bytes"]
    .map((f) => [f, "Output"]),
]);

/** The order of the groups; the command's own flags ("Options") come first. */
export const GROUP_ORDER = ["Options", "Connection", "Timing", "Output"] as const;

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function defaultText(spec: FlagSpec): string {
  if (spec.kind === "boolean") {
    return spec.default === true ? " (on by default; --no-X turns it off)" : "";
  }
  if (spec.default === undefined || spec.default === "") return "";
  const value = Array.isArray(spec.default) ? spec.default.join(",") : String(spec.default);
  return /default/i.test(spec.brief) ? "" : ` (default ${value})`;
}

/** The visible flags of `command`, as help shows them: by group, and all in definition order. */
export function helpFlags<C extends CommandContext>(
  command: Command<C>,
): { groups: Map<string, HelpFlag[]>; all: HelpFlag[] } {
  const flags = (command.parameters.flags ?? {}) as Record<string, FlagSpec>;
  const aliases = (command.parameters.aliases ?? {}) as Record<string, string>;
  const groups = new Map<string, HelpFlag[]>(GROUP_ORDER.map((g) => [g, []]));
  const all: HelpFlag[] = [];
  for (const [name, spec] of Object.entries(flags)) {
    if (spec.hidden) continue;
    const long = kebab(name);
    const short = Object.entries(aliases).find(([, target]) => target === name)?.[0];
    const value = spec.kind === "boolean" || spec.kind === "counter"
      ? undefined
      : spec.placeholder ?? spec.values?.join("|") ?? "value";
    const flag: HelpFlag = {
      long: `--${long}`,
      short: short ? `-${short}` : undefined,
      value,
      required: spec.optional !== true && spec.default === undefined && spec.kind !== "boolean" &&
        spec.kind !== "counter",
      variadic: Boolean(spec.variadic),
      text: (spec.brief + defaultText(spec).replace("X", long)).trim(),
    };
    groups.get(GROUP_OF[long] ?? "Options")!.push(flag);
    all.push(flag);
  }
  return { groups, all };
}

/** A flag's usage token: `[--udp]`, `[--timeout duration]`, `--dir dir`, `[--x v]...`. */
export function usageToken(flag: HelpFlag): string {
  const body = flag.value ? `${flag.long} ${flag.value}` : flag.long;
  const token = flag.required ? body : `[${body}]`;
  return flag.variadic ? `${token}...` : token;
}

/** A flag's left cell in the flags list: `-t, --timeout duration` or `    --json`. */
export function flagLabel(flag: HelpFlag): string {
  const head = flag.short ? `${flag.short}, ${flag.long}` : `    ${flag.long}`;
  return `  ${head}${flag.value ? ` ${flag.value}` : ""}${flag.variadic ? "..." : ""}`;
}

/** The positional arguments: usage tokens and `[placeholder, brief]` rows. */
export function helpArguments<C extends CommandContext>(
  command: Command<C>,
): { tokens: string[]; rows: [string, string][] } {
  const positional = command.parameters.positional as
    | { kind: "array"; parameter: PositionalSpec; minimum?: number }
    | { kind: "tuple"; parameters: readonly PositionalSpec[] }
    | undefined;
  if (!positional) return { tokens: [], rows: [] };
  if (positional.kind === "array") {
    const p = positional.parameter;
    const name = `<${p.placeholder ?? "args"}>...`;
    const optional = (positional.minimum ?? 0) === 0;
    return { tokens: [optional ? `[${name}]` : name], rows: [[`  ${name}`, p.brief]] };
  }
  const tokens: string[] = [];
  const rows: [string, string][] = [];
  positional.parameters.forEach((p, i) => {
    const name = `<${p.placeholder ?? `arg${i + 1}`}>`;
    const optional = p.optional === true || p.default !== undefined;
    tokens.push(optional ? `[${name}]` : name);
    rows.push([`  ${name}`, p.brief + (p.default ? ` (default ${p.default})` : "")]);
  });
  return { tokens, rows };
}

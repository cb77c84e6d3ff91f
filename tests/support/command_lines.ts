/**
 * Random netdiag command lines for the CLI fuzz test (tests/e2e/cli_fuzz.test.ts): every route of
 * the command tree with its own flags, hostile command and flag names, and hostile values. Lines
 * of commands that would touch the network carry a stopper flag whose value cannot parse, so
 * they are scanned and parsed in full but never run.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Command, RouteMap } from "@stricli/core";
import { root } from "../../lib/cli/app.ts";
import type { NetdiagContext } from "../../lib/cli/context.ts";

/** Commands safe to run for real: no sockets, no stdin, no waiting. */
const PURE = new Set([
  "htons",
  "htonl",
  "ntohs",
  "ntohl",
  "aton",
  "ntoa",
  "pton",
  "ntop",
  "service",
  "proto",
  "info",
  "completions",
  "__complete",
  "help",
  "version",
]);

/** One command of the route tree: the words that name it and its definition. */
export interface Route {
  readonly path: readonly string[];
  readonly command: Command<NetdiagContext>;
}

function listRoutes(map: RouteMap<NetdiagContext>, prefix: readonly string[]): Route[] {
  return map.getAllEntries().flatMap((e) => {
    const path = [...prefix, e.name["convert-camel-to-kebab"]];
    return "getAllEntries" in e.target ? listRoutes(e.target, path) : [{ path, command: e.target }];
  });
}

/** Every command of the route tree. */
export const ROUTES: readonly Route[] = listRoutes(root, []);
const ROUTE_WORDS = new Set(ROUTES.flatMap((r) => r.path));

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The stopper of a command that must not run, or undefined for a pure one. */
export function stopperOf(route: Route): string | undefined {
  if (PURE.has(route.path.join(" "))) return undefined;
  const flags = route.command.parameters.flags ?? {};
  const name = ["timeout", "idleTimeout", "timeoutOffset"].find((f) => Object.hasOwn(flags, f));
  assert.ok(name, `${route.path.join(" ")} has no --timeout to stop it with: add one here`);
  return `--${kebab(name)}=never`;
}

const INHERITED = Object.getOwnPropertyNames(Object.prototype);

/** Characters that make hostile text: controls, escapes, C1, bidi, separators. */
const HOSTILE_UNIT = fc.constantFrom(
  ..."\x1b[]0;\x07\x9b\x85\x90\u202e\u202d\u2066\u200f\u2028\n\t\r\x7f\x00\x01\x08a-=.:/",
);

/** Operand and flag values. */
const VALUE: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...["", "0", "1", "80", "65535", "65536", "-1", "+1", "1.5", "1e3", "1e400", "-1e400"],
    ...["Infinity", "NaN", "9".repeat(400), "0x7f", "0xffffffffff", "10s", "250ms", "64k", "1G"],
    ...["127.0.0.1", "::1", "[::1]:7", "localhost", "☃.test", "tcp", "http", "bash", "fish"],
    ...["7f000001", "c0:a8:00:01", "/tmp/netdiag-fuzz.sock", "a".repeat(300), "x\ny"],
    ...["\x1b]0;pwned\x07", "\x1b[2J", "\u202eevil", "\x9b31m", "inet6", "upper"],
  ),
  fc.constantFrom(...INHERITED),
  fc.nat().map(String),
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: HOSTILE_UNIT, maxLength: 16 }),
);

/** Flags every command line may hold: unknown, inherited, global, digit. */
const OTHER_FLAG: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom(
    ...INHERITED.map((n) => `--${n}`),
    ...["--to-string", "--value-of=1", "--no-constructor", "--noConstructor", "--has-own-property"],
    ...["--help", "-h", "--help-all", "-H", "--version", "-v", "-4", "-6", "--nosuch", "-Z"],
  ).map((f) => [f]),
  fc.tuple(fc.string({ unit: HOSTILE_UNIT, maxLength: 8 }), VALUE).map(([n, v]) => [`--${n}`, v]),
  fc.tuple(fc.string({ unit: "grapheme-ascii", maxLength: 8 }), VALUE).map((
    [n, v],
  ) => [`--${n}=${v}`]),
);

/** The flags of one command, each with a fitting or fuzzed value. */
function commandFlags(command: Command<NetdiagContext>): fc.Arbitrary<string[]>[] {
  const flags = Object.entries(command.parameters.flags ?? {});
  const aliases = Object.keys(command.parameters.aliases ?? {});
  const arbs = flags.map(([name, flag]): fc.Arbitrary<string[]> => {
    const long = `--${kebab(name)}`;
    if (flag.kind === "boolean") {
      return fc.constantFrom<string[]>([long], [`--no-${kebab(name)}`], [`${long}=false`]);
    }
    const value = flag.kind === "enum" ? fc.oneof(fc.constantFrom(...flag.values), VALUE) : VALUE;
    return fc.tuple(value, fc.boolean()).map(([v, joined]) =>
      joined ? [`${long}=${v}`] : [long, v]
    );
  });
  if (aliases.length) {
    arbs.push(fc.tuple(fc.constantFrom(...aliases), VALUE).map(([a, v]) => [`-${a}`, v]));
  }
  return arbs;
}

/** The words after a command path: flags, operands, `--`. */
function argsAfter(command: Command<NetdiagContext> | undefined): fc.Arbitrary<string[]> {
  const own = command ? commandFlags(command) : [];
  const token = fc.oneof(
    { weight: 3, arbitrary: VALUE.map((v) => [v]) },
    { weight: 2, arbitrary: OTHER_FLAG },
    { weight: 1, arbitrary: fc.constant(["--"]) },
    ...own.map((arbitrary) => ({ weight: 4, arbitrary })),
  );
  return fc.array(token, { maxLength: 6 }).map((words) => words.flat());
}

/** One command line: a real route or a hostile name, then words, with a stopper if needed. */
export const COMMAND_LINE: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...ROUTES).chain((route) =>
      argsAfter(route.command).map((words) => withStopper(route, words))
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom([], ["echo"]),
      fc.oneof(fc.constantFrom(...INHERITED, "to-string"), VALUE),
      argsAfter(undefined),
    ).filter(([, name]) => !ROUTE_WORDS.has(name))
      .map(([prefix, name, words]) => [...prefix, name, ...words]),
  },
);

function withStopper(route: Route, words: string[]): string[] {
  const stopper = stopperOf(route);
  if (!stopper) return [...route.path, ...words];
  const escape = words.indexOf("--");
  const at = escape < 0 ? words.length : escape;
  return [...route.path, ...words.slice(0, at), stopper, ...words.slice(at)];
}

/** Whether `args` names a command that must not run (and so must end in help or exit 2). */
export function isStopped(args: readonly string[]): boolean {
  return ROUTES.some((r) =>
    stopperOf(r) !== undefined && r.path.every((w, i) => args[i] === w) &&
    args.includes(stopperOf(r)!)
  );
}

/**
 * The manual stays true to the code: every command netdiag defines (the route map `root` of
 * lib/cli/app.ts, nested routes included, the hidden `__complete` excluded) has its page
 * `docs/commands/<name>.md` (a command of two words joined with `-`: `echo serve` →
 * `echo-serve.md`); every flag a command defines appears on its page as `--kebab-name`, and every
 * flag the page lists (a list item or table row that starts with a `--flag`) exists on the
 * command. README.md is a front page of at most 250 lines whose quick start is exactly
 * `./scripts/netdiag htons 20000` and `./scripts/test`, and every relative link in README.md and
 * docs/**\/*.md points to an existing file (and an existing heading, with `#anchor`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync } from "node:fs";
import { endianness } from "node:os";
import { env } from "node:process";
import { dirname, join, relative } from "node:path";
import type { Command, RouteMap } from "@stricli/core";
import { root } from "../../lib/cli/app.ts";
import type { NetdiagContext } from "../../lib/cli/context.ts";
import { ROOT } from "../support/cli.ts";

// ---- the commands and their flags -------------------------------------------------------------

/** A command as a user types it, with the flags its definition declares (camelCase keys). */
interface DefinedCommand {
  /** `htons`, `echo serve`. */
  readonly name: string;
  readonly command: Command<NetdiagContext>;
}

function isRouteMap(
  target: Command<NetdiagContext> | RouteMap<NetdiagContext>,
): target is RouteMap<NetdiagContext> {
  return "getAllEntries" in target;
}

/** Every visible command under `map`, depth first, named by the words that reach it. */
function definedCommands(map: RouteMap<NetdiagContext>, prefix: string[] = []): DefinedCommand[] {
  const found: DefinedCommand[] = [];
  for (const entry of map.getAllEntries()) {
    if (entry.hidden) continue;
    const words = [...prefix, entry.name.original];
    if (isRouteMap(entry.target)) found.push(...definedCommands(entry.target, words));
    else found.push({ name: words.join(" "), command: entry.target });
  }
  return found;
}

/** `maxConns` → `max-conns`, as the CLI spells flags (`convert-camel-to-kebab`). */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/** The page of a command: `echo serve` → `docs/commands/echo-serve.md`. */
function pagePath(commandName: string): string {
  return `docs/commands/${commandName.replaceAll(" ", "-")}.md`;
}

interface FlagSpec {
  /** `--max-conns` */
  readonly flag: string;
  /** A boolean flag also answers to `--no-<name>`. */
  readonly boolean: boolean;
}

function flagSpecs(command: Command<NetdiagContext>): FlagSpec[] {
  const flags = (command.parameters.flags ?? {}) as Record<string, { kind: string }>;
  return Object.entries(flags).map(([key, spec]) => ({
    flag: "--" + kebab(key),
    boolean: spec.kind === "boolean",
  }));
}

/** Flags every command answers to without defining them: Stricli's help and netdiag's --debug. */
const BUILT_IN_FLAGS = new Set(["--help", "--help-all", "--debug"]);

// ---- Markdown reading -----------------------------------------------------------------------

/** The page's lines outside fenced code blocks, with their line numbers (1-based). */
function proseLines(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | undefined;
  text.split("\n").forEach((line, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) out.push({ line, number: i + 1 });
  });
  return out;
}

/** Whether `text` mentions `flag` as a whole flag (`--max` is not in `--max-frame`). */
function mentionsFlag(text: string, flag: string): boolean {
  return new RegExp(`${flag}(?![a-z0-9-])`).test(text);
}

/**
 * The lines of a page's flags list: the section under a "Flags" (or "Options") heading, down to
 * the next heading of its level or above; the whole page when it has no such heading.
 */
function flagListLines(text: string): { line: string; number: number }[] {
  const lines = proseLines(text);
  const start = lines.findIndex((l) => /^#{1,6}\s+(?:flags|options)\b/i.test(l.line));
  if (start < 0) return lines;
  const level = /^#+/.exec(lines[start].line)![0].length;
  const end = lines.findIndex((l, i) =>
    i > start && /^#+(?=\s)/.test(l.line) && /^#+/.exec(l.line)![0].length <= level
  );
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/**
 * The flags a page lists (see {@link flagListLines}): in each list item that starts with code
 * spans, the `--flags` in those leading spans (`` - `--timeout DURATION`, `-t`: … ``); in each
 * table row, the `--flags` in its first cell. Fenced code is not read.
 */
function listedFlags(text: string): { flag: string; line: number }[] {
  const found: { flag: string; line: number }[] = [];
  for (const { line, number } of flagListLines(text)) {
    let head: string | undefined;
    const item = /^\s*(?:[-*+]|\d+\.)\s+(.*)$/.exec(line)?.[1];
    if (item !== undefined) {
      const span = "(?:\\*\\*)?`[^`]*`(?:\\*\\*)?";
      head = new RegExp(`^${span}(?:(?:[\\s,/()]+|\\s+(?:or|and)\\s+)${span})*`).exec(item)?.[0];
    } else if (/^\s*\|/.test(line) && !/^\s*\|[\s:|-]+\|\s*$/.test(line)) {
      head = line.split("|")[1];
    }
    if (!head) continue;
    for (const m of head.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)) {
      found.push({ flag: m[0], line: number });
    }
  }
  return found;
}

/** The problems of one command's page, each naming the command, the flag and the page. */
function pageProblems(name: string, flags: FlagSpec[], page: string, text: string): string[] {
  const problems: string[] = [];
  for (const { flag } of flags) {
    if (!mentionsFlag(text, flag)) {
      problems.push(`${name}: flag ${flag} is not documented on ${page}`);
    }
  }
  const known = new Set(BUILT_IN_FLAGS);
  for (const { flag, boolean } of flags) {
    known.add(flag);
    if (boolean) known.add("--no-" + flag.slice(2));
  }
  for (const { flag, line } of listedFlags(text)) {
    if (!known.has(flag)) {
      problems.push(
        `${name}: ${page}:${line} lists flag ${flag}, which the command does not define`,
      );
    }
  }
  return problems;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as `-`. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replaceAll(" ", "-");
}

/** The anchors a Markdown file defines: its headings' slugs (repeats get -1, -2) and HTML ids. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { line } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      result.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) result.add(m[1]);
  }
  return result;
}

/** Inline links `[text](target)`, images, reference definitions `[x]: target`, outside code. */
function links(text: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  for (const { line, number } of proseLines(text)) {
    const prose = line.replace(/(`+)[^`]*?\1/g, "");
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ target: m[1], line: number });
    }
    const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (ref) found.push({ target: ref[1], line: number });
  }
  return found;
}

/** How {@link brokenLinks} sees files: the real file system, or a fake one in its own test. */
interface Files {
  exists(path: string): boolean;
  read(path: string): string;
}

const REAL_FILES: Files = {
  exists: (path) => existsSync(path),
  read: (path) => readFileSync(path, "utf8"),
};

/**
 * The broken relative links of the Markdown file `file` (a path under `root`): a target that
 * does not exist, or an anchor that names no heading of the Markdown file it points to.
 */
function brokenLinks(root: string, file: string, files: Files = REAL_FILES): string[] {
  const problems: string[] = [];
  for (const { target, line } of links(files.read(join(root, file)))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue;
    const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
    const path = decodeURIComponent(pathPart.split("?")[0]);
    const resolved = path === "" ? join(root, file) : join(root, dirname(file), path);
    const shown = relative(root, resolved);
    const where = `${file}:${line}: link ${JSON.stringify(target)}`;
    if (shown.startsWith("..")) {
      problems.push(`${where} leaves the repository`);
    } else if (!files.exists(resolved)) {
      problems.push(`${where} points to ${shown}, which does not exist`);
    } else if (anchor && resolved.endsWith(".md")) {
      if (!anchors(files.read(resolved)).has(decodeURIComponent(anchor).toLowerCase())) {
        problems.push(`${where}: ${shown} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}

/** Every `.md` file under `dir`, as paths relative to ROOT. */
function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...markdownFiles(path));
    else if (entry.name.endsWith(".md")) out.push(path);
  }
  return out.sort();
}

/** The commands of the first ```sh block under README's "## Quick start", comments dropped. */
function quickStartCommands(readme: string): string[] {
  const section = /^## Quick start\s*$([\s\S]*?)(?=^## )/m.exec(readme + "\n## ")?.[1] ?? "";
  const block = /^```(?:sh|bash|console)?\s*$([\s\S]*?)^```/m.exec(section)?.[1] ?? "";
  return block.split("\n").map((l) => l.replace(/(^|\s)#.*$/, "").trim()).filter((l) => l);
}

const read = (path: string) => readFileSync(path, "utf8");
const COMMANDS = definedCommands(root);

// ---- the checks themselves can fail ---------------------------------------------------------

test("the route-map walk finds nested echo serve and echo test and skips the hidden __complete", () => {
  const names = COMMANDS.map((c) => c.name);
  assert.ok(names.includes("echo serve"), names.join(", "));
  assert.ok(names.includes("echo test"), names.join(", "));
  assert.ok(names.includes("htons"), names.join(", "));
  assert.ok(!names.some((n) => n.includes("__complete")), names.join(", "));
  assert.ok(!names.includes("echo"), "echo is a route map, not a command");
});

test("the page check names the command, the flag and the page for a missing or unknown flag", () => {
  const flags = [{ flag: "--max-conns", boolean: false }, { flag: "--once", boolean: true }];
  const page =
    "# x\n\n## Flags\n\n- `--max-conns N` (`-m`), `--zap`: most `--a`\n- `--max`: nothing\n" +
    "| `--no-once` | fine |\n| `--frob` | unknown |\n\n```sh\nnetdiag x --in-code\n```\n";
  assert.deepEqual(pageProblems("x y", flags, "docs/commands/x-y.md", page), [
    "x y: flag --once is not documented on docs/commands/x-y.md",
    "x y: docs/commands/x-y.md:5 lists flag --zap, which the command does not define",
    "x y: docs/commands/x-y.md:6 lists flag --max, which the command does not define",
    "x y: docs/commands/x-y.md:8 lists flag --frob, which the command does not define",
  ]);
  assert.deepEqual(
    pageProblems("x y", flags, "p.md", "`--max-conns` and `--once`; see `--other` in prose"),
    [],
  );
  const sectioned = "# x\n\n- `netdiag x --other`\n\n## Flags\n\n- `--once`, `--max-conns N`\n" +
    "### Limits\n\n- `--bad`\n\n## Examples\n\n- `--outside`\n";
  assert.deepEqual(pageProblems("x", flags, "x.md", sectioned), [
    "x: x.md:10 lists flag --bad, which the command does not define",
  ]);
});

test("the link check finds a missing file and a missing anchor, and follows good ones", () => {
  const fake: Record<string, string> = {
    "/r/README.md":
      "# Top\n\n[ok](docs/a.md#the-a-section-x_y) [bad](docs/none.md) [web](https://x.invalid)\n" +
      "[anchor](docs/a.md#nope) `[code](docs/none.md)` [self](#top) [up](../x.md)\n\n" +
      "```\n[fenced](gone.md)\n```\n[ref]: docs/gone.md\n",
    "/r/docs/a.md": "# A\n\n## The `A` section: x_y\n",
  };
  const files: Files = { exists: (p) => p in fake, read: (p) => fake[p] ?? "" };
  assert.deepEqual(brokenLinks("/r", "README.md", files), [
    'README.md:3: link "docs/none.md" points to docs/none.md, which does not exist',
    'README.md:4: link "docs/a.md#nope": docs/a.md has no heading #nope',
    'README.md:4: link "../x.md" leaves the repository',
    'README.md:9: link "docs/gone.md" points to docs/gone.md, which does not exist',
  ]);
  assert.equal(slug("The `A` section: x_y"), "the-a-section-x_y");
  assert.equal(slug("Byte order: `htons`, `htonl`"), "byte-order-htons-htonl");
  assert.deepEqual(
    [...anchors('# A\n## A\n```\n# not a heading\n```\n<a id="here"></a>\n')],
    ["a", "a-1", "here"],
  );
  assert.deepEqual(
    quickStartCommands("## Quick start\n\n```sh\n./a x   # run\n./b\n```\n## Next\n"),
    [
      "./a x",
      "./b",
    ],
  );
});

// ---- the manual -----------------------------------------------------------------------------

for (const { name, command } of COMMANDS) {
  const page = pagePath(name);
  test(`${name}: ${page} exists and documents exactly the flags the command defines`, () => {
    assert.ok(existsSync(join(ROOT, page)), `${name}: no page ${page}`);
    const problems = pageProblems(name, flagSpecs(command), page, read(join(ROOT, page)));
    assert.deepEqual(problems, [], problems.join("\n"));
  });
}

test("every page in docs/commands/ belongs to a command netdiag defines", () => {
  const pages = new Set(COMMANDS.map((c) => pagePath(c.name)));
  const orphans = markdownFiles("docs/commands").filter((p) => !pages.has(p));
  assert.deepEqual(orphans, [], `pages of no command: ${orphans.join(", ")}`);
});

test("README's command index links every command's page", () => {
  const readme = read(join(ROOT, "README.md"));
  const linked = new Set(links(readme).map((l) => l.target.split("#")[0]));
  const missing = COMMANDS.filter((c) => !linked.has(pagePath(c.name))).map((c) =>
    `${c.name} (${pagePath(c.name)})`
  );
  assert.deepEqual(missing, [], `README.md links no page for: ${missing.join(", ")}`);
});

test("README.md is a front page of at most 250 lines", () => {
  const lines = read(join(ROOT, "README.md")).trimEnd().split("\n").length;
  assert.ok(lines <= 250, `README.md has ${lines} lines; move detail into docs/`);
});

test("every relative link in README.md and docs/**/*.md points to an existing file and heading", () => {
  const files = ["README.md", ...markdownFiles("docs")];
  const problems = files.flatMap((f) => brokenLinks(ROOT, f));
  assert.deepEqual(problems, [], problems.join("\n"));
});

test("README's quick start is exactly ./scripts/netdiag htons 20000 and ./scripts/test", () => {
  assert.deepEqual(quickStartCommands(read(join(ROOT, "README.md"))), [
    "./scripts/netdiag htons 20000",
    "./scripts/test",
  ]);
  accessSync(join(ROOT, "scripts", "test"), constants.X_OK);
});

test("the quick start's ./scripts/netdiag htons 20000 prints 8270 (on a little-endian host)", () => {
  const r = spawnSync(join(ROOT, "scripts", "netdiag"), ["htons", "20000"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...env, NO_COLOR: "1" },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, endianness() === "LE" ? "8270\n" : "20000\n");
});

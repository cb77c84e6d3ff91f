/**
 * docs/flags.md stays true: each short flag of its table is accepted by every command the row
 * lists, as the row's long flag (the definitions' aliases say so, and a run does not answer
 * "unknown flag"), and no command gives a short flag a meaning the table does not list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command, RouteMap } from "@stricli/core";
import { root } from "../../lib/cli/app.ts";
import type { NetdiagContext } from "../../lib/cli/context.ts";
import { ROOT, runNetdiag, targets } from "../support/cli.ts";

interface Row {
  readonly short: string;
  readonly long: string;
  readonly commands: readonly string[];
}

/** The rows of the table in docs/flags.md. */
function tableRows(): Row[] {
  const text = readFileSync(join(ROOT, "docs", "flags.md"), "utf8");
  const rows: Row[] = [];
  for (const line of text.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const short = /^`(-[0-9a-zA-Z])`$/.exec(cells[1] ?? "");
    const long = /^`--([a-z0-9-]+)`$/.exec(cells[2] ?? "");
    if (!short || !long) continue;
    const commands = [...(cells[4] ?? "").matchAll(/`([a-z_ ]+)`/g)].map((m) => m[1]);
    rows.push({ short: short[1], long: long[1], commands });
  }
  return rows;
}

/** Every command under the route map, by the words that reach it. */
function commands(
  map: RouteMap<NetdiagContext> = root,
  prefix: string[] = [],
): Map<string, Command<NetdiagContext>> {
  const found = new Map<string, Command<NetdiagContext>>();
  for (const entry of map.getAllEntries()) {
    const words = [...prefix, entry.name.original];
    const target = entry.target;
    if ("getAllEntries" in target) {
      for (const [k, v] of commands(target as RouteMap<NetdiagContext>, words)) found.set(k, v);
    } else found.set(words.join(" "), target as Command<NetdiagContext>);
  }
  return found;
}

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Short flags that disagree with the table today (another part of issue 14 changes probe). */
const KNOWN_EXCEPTIONS = new Set<string>([]);

test("docs/flags.md: each listed command defines the short flag as the row's long flag", () => {
  const all = commands();
  const rows = tableRows();
  assert.ok(rows.length >= 10, "the table has its rows");
  for (const row of rows) {
    for (const name of row.commands) {
      const command = all.get(name);
      assert.ok(command, `${row.short}: no command "${name}"`);
      const params = command.parameters as {
        flags?: Record<string, unknown>;
        aliases?: Record<string, string>;
      };
      assert.ok(params.flags?.[camel(row.long)], `${name} has --${row.long}`);
      if (/^-[0-9]$/.test(row.short)) continue; // rewritten by lib/cli/run.ts
      assert.equal(params.aliases?.[row.short.slice(1)], camel(row.long), `${name} ${row.short}`);
    }
  }
});

test("docs/flags.md: no command gives a short flag a meaning the table does not list", () => {
  const listed = new Set(
    tableRows().flatMap((r) => r.commands.map((c) => `${c} ${r.short} ${camel(r.long)}`)),
  );
  for (const [name, command] of commands()) {
    const aliases = (command.parameters as { aliases?: Record<string, string> }).aliases ?? {};
    for (const [short, long] of Object.entries(aliases)) {
      if (KNOWN_EXCEPTIONS.has(`${name} -${short}`)) continue;
      assert.ok(listed.has(`${name} -${short} ${long}`), `${name} -${short} (--${long})`);
    }
  }
});

/** Per command: arguments that fail with exit 2 after parsing, before any network I/O. */
const FAILS_LATER: Record<string, readonly string[]> = {
  connect: ["h:x"],
  listen: ["h:x"],
  receive: ["--dir", ".", "h:x"],
  send: ["f", "h:x"],
  "echo test": ["h:x"],
  "echo serve": ["h:x"],
  probe: ["h:x"],
  resolve: ["--concurrency", "0", "a"],
  reverse: ["--concurrency", "0", "a"],
  dns: ["--concurrency", "0", "a"],
  hostname: ["x"],
};

/** A value for a flag that takes one. */
const VALUES: Record<string, string> = {
  count: "1",
  file: "/nonexistent/q.txt",
  port: "1",
  ports: "1",
  size: "64",
  timeout: "1s",
  reverse: "127.0.0.1",
};

for (const target of targets()) {
  test(`[${target}] every short flag of docs/flags.md is accepted where the table lists it`, async () => {
    const all = commands();
    for (const row of tableRows()) {
      for (const name of row.commands) {
        const spec = (all.get(name)!.parameters.flags as Record<string, { kind: string }>)[
          camel(row.long)
        ];
        const value = spec.kind === "boolean" ? [] : [VALUES[camel(row.long)] ?? "1"];
        const rest = FAILS_LATER[name] ?? ["x", "y", "z", "w", "v"];
        const args = [...name.split(" "), row.short, ...value, ...rest];
        const run = await runNetdiag(target, args, { timeoutMs: 15_000 });
        assert.doesNotMatch(run.stderr, /unknown flag|no alias|no flag registered/, args.join(" "));
        assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      }
    }
  });
}

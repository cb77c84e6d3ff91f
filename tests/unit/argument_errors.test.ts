import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../../lib/cli/run.ts";
import { memoryIo } from "../support/memory_io.ts";
import { rawControl } from "../support/output_checks.ts";

const HOSTILE = "\x1b]0;pwned\x07\u202e\n\x9b2J";
const QUOTED = '"\\u001b]0;pwned\\u0007\\u202e\\n\\u009b2J"';
/** For `--flag=value`: Stricli reads no newline there (the argument is then an operand). */
const ONE_LINE = "\x1b]0;pwned\x07\u202e\x9b2J";
const ONE_LINE_QUOTED = '"\\u001b]0;pwned\\u0007\\u202e\\u009b2J"';

/** Runs netdiag in-process and returns its exit code and stderr. */
async function run(args: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, err: io.err };
}

const CASES: [string, string[], string][] = [
  ["an extra argument", ["aton", "1", HOSTILE], `netdiag: unexpected argument ${QUOTED}: `],
  ["an unknown command", [HOSTILE], `netdiag: unknown command ${QUOTED}`],
  ["a subcommand", ["echo", HOSTILE], `netdiag: unknown command ${QUOTED}`],
  ["a shell name", ["completions", HOSTILE], `netdiag: unsupported shell ${QUOTED}`],
  ["an enum value", ["resolve", "--source", HOSTILE, "x"], `invalid value ${QUOTED} for --source`],
  ["a boolean value", ["ntoa", "--json=" + ONE_LINE, "7f000001"], `value ${ONE_LINE_QUOTED}`],
  ["a negated flag's value", ["htons", "--no-json=" + ONE_LINE, "1"], `got ${ONE_LINE_QUOTED}`],
  ["a flag given twice", ["connect", "--send", "a", "--send", HOSTILE], `"a" and ${QUOTED}`],
  ["a family", ["pton", "--family", HOSTILE, "::1"], QUOTED],
];

for (const [what, args, expected] of CASES) {
  test(`a framework error about ${what} quotes the argument on one line, exit 2`, async () => {
    const { code, err } = await run(args);
    assert.equal(code, 2, err);
    assert.equal(rawControl(err), undefined, err);
    assert.ok(err.includes(expected), err);
    for (const line of err.trimEnd().split("\n")) assert.match(line, /^netdiag: /);
  });
}

test("an unknown flag names it and proposes the closest one", async () => {
  const { code, err } = await run(["htons", "--jsn", "1"]);
  assert.equal(code, 2);
  assert.equal(err, 'netdiag: unknown flag "--jsn": did you mean --json?\n');
});

test("a missing value and a missing argument are one line each", async () => {
  assert.equal(
    (await run(["echo", "test", "--size"])).err,
    "netdiag: missing value for --size\n",
  );
  assert.equal(
    (await run(["htons"])).err,
    "netdiag: missing argument <value>: expected at least 1, got none\n",
  );
});

/** Every kind of error Stricli's scanner reports, in netdiag's words, one line, exit 2. */
const FRAMEWORK: [string, string[], string][] = [
  ["a missing argument", ["aton"], "missing argument <addr>"],
  ["too few of an array", ["htons"], "missing argument <value>: expected at least 1, got none"],
  [
    "too few of a multi-part array",
    ["send", "x"],
    "missing arguments <file...> <target>: expected at least 2, got 1",
  ],
  ["an extra argument", ["aton", "1", "2"], 'unexpected argument "2": expected at most 1 argument'],
  ["an enum value", ["pton", "--family", "inet5", "::1"], 'invalid value "inet5" for --family'],
  ["a boolean value", ["htons", "--json=maybe", "1"], 'invalid value "maybe" for --json'],
  ["a negated flag's value", ["htons", "--no-json=x", "1"], '--no-json takes no value, got "x"'],
  ["a flag given twice", ["pton", "--family", "inet", "--family", "inet6", "::1"], "given twice"],
  ["a missing value", ["pton", "::1", "--family"], "missing value for --family"],
  ["a value and an argument missing", ["pton", "--family"], "missing value for --family"],
  ["an unknown short flag", ["htons", "-Z", "1"], 'unknown flag "-Z"'],
  ["an unknown long flag", ["htons", "--jsn", "1"], 'unknown flag "--jsn": did you mean --json?'],
];

for (const [what, args, expected] of FRAMEWORK) {
  test(`a framework error about ${what} reads in netdiag's words: "${expected}"`, async () => {
    const { code, err } = await run(args);
    assert.equal(code, 2, err);
    assert.equal(err.split("\n").length, 2, `one line: ${err}`);
    assert.ok(err.startsWith(`netdiag: `) && err.includes(expected), err);
    assert.doesNotMatch(err, /expected argument for|argument\(s\)|to be one of \(|registered for/);
  });
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { root } from "../../lib/cli/app.ts";
import { closestNames } from "../../lib/cli/closest_names.ts";
import { findInheritedName, isInheritedFlag } from "../../lib/cli/name_guard.ts";
import { runCli } from "../../lib/cli/run.ts";
import { crashSign } from "../support/output_checks.ts";
import { memoryIo } from "../support/memory_io.ts";

/** Every property name a plain object inherits. */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);

test("findInheritedName() refuses every Object.prototype name as a command, also under echo", () => {
  for (const name of INHERITED) {
    for (const args of [[name], ["echo", name], [name, "--help"]]) {
      const refused = findInheritedName(root, args, closestNames);
      assert.equal(refused?.kind, "command", args.join(" "));
      assert.equal(refused?.input, name);
    }
  }
  assert.equal(findInheritedName(root, ["to-string"], closestNames)?.kind, "command");
});

test("findInheritedName() lets real commands, flags and everything after -- through", () => {
  for (
    const args of [
      ["htons", "1"],
      ["echo", "serve", "--max-conns", "2"],
      ["no-such-command"],
      ["htons", "--", "--constructor"],
      ["--help", "constructor"],
      ["probe", "127.0.0.1:1", "--", "constructor"],
    ]
  ) {
    assert.equal(findInheritedName(root, args, closestNames), undefined, args.join(" "));
  }
});

test("isInheritedFlag() catches every spelling Stricli resolves through the prototype", () => {
  for (
    const arg of [
      "--constructor",
      "--toString",
      "--to-string",
      "--value-of=1",
      "--has-own-property",
      "--no-constructor",
      "--noConstructor",
      "--no-to-string",
      "--isPrototypeOf",
    ]
  ) {
    assert.ok(isInheritedFlag(arg), arg);
  }
  for (const arg of ["--json", "--no-json", "-x", "constructor", "--", "--max-conns=3"]) {
    assert.ok(!isInheritedFlag(arg), arg);
  }
  assert.ok(!isInheritedFlag("--constructor", { constructor: {} }), "an own flag is a flag");
});

test("runCli() answers inherited command names with the unknown-command line and exit 2", async () => {
  for (
    const args of [["constructor"], ["__proto__"], ["toString"], ["echo", "constructor"], [
      "hasOwnProperty",
      "1",
    ]]
  ) {
    const io = memoryIo();
    const code = await runCli(args, io);
    assert.equal(code, 2, args.join(" "));
    assert.match(io.err, /^netdiag: unknown command "[^"]+" \(see netdiag --help\)\n$/);
    assert.equal(crashSign(io.err), undefined);
  }
});

test("runCli() refuses inherited flag names as unknown flags, exit 2", async () => {
  for (
    const args of [
      ["htons", "--constructor", "1"],
      ["htons", "--to-string", "1"],
      ["--constructor"],
      ["--toString"],
      ["echo", "--value-of"],
      ["resolve", "--no-constructor", "x"],
    ]
  ) {
    const io = memoryIo();
    const code = await runCli(args, io);
    assert.equal(code, 2, args.join(" "));
    assert.match(io.err, /^netdiag: unknown flag "--[^"]+"\n$/, args.join(" "));
  }
});

test("runCli() reads an inherited name as an enum value as just a bad value", async () => {
  const io = memoryIo();
  assert.equal(await runCli(["resolve", "--source", "constructor", "x"], io), 2);
  assert.equal(
    io.err,
    'netdiag: invalid value "constructor" for --source: expected "system", "hosts", "dns" or ' +
      '"all"\n',
  );
});

/**
 * The framework's own error lines (a bad flag value, an extra argument) are bold red on a
 * terminal and plain elsewhere, decided only when such a line is written: a run that prints none
 * never asks whether a stream is a terminal (on Bun that loads node:fs at start-up).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../../lib/cli/run.ts";
import { type MemoryIo, memoryIo } from "../support/memory_io.ts";

/** A {@link MemoryIo} whose streams are terminals (or not), counting the times it is asked. */
function countingIo(terminal: boolean, env: Record<string, string> = {}) {
  const io: MemoryIo & { asked: number } = Object.assign(memoryIo(), { asked: 0 });
  io.isTerminal = () => {
    io.asked++;
    return terminal;
  };
  io.env = (name) => env[name];
  return io;
}

/** One line starting "netdiag: ", ending in its newline, with no escape character. */
function plainLine(text: string): boolean {
  return text.startsWith("netdiag: ") && text.indexOf("\n") === text.length - 1 &&
    !text.includes("\x1b");
}

const BAD_VALUE = ["htons", "--json=maybe", "1"];

test("a framework error line is bold red when stderr is a terminal", async () => {
  const io = countingIo(true);
  assert.equal(await runCli(BAD_VALUE, io), 2);
  const [open, close] = ["\x1b[1m\x1b[31m", "\x1b[39m\x1b[22m\n"];
  assert.ok(
    io.err.startsWith(open + "netdiag: ") && io.err.endsWith(close),
    JSON.stringify(io.err),
  );
  assert.equal(plainLine(io.err.slice(open.length, -close.length) + "\n"), true, io.err);
});

test("a framework error line is plain when stderr is no terminal, or NO_COLOR or TERM=dumb is set", async () => {
  for (
    const io of [
      countingIo(false),
      countingIo(true, { NO_COLOR: "1" }),
      countingIo(true, {
        TERM: "dumb",
      }),
    ]
  ) {
    assert.equal(await runCli(BAD_VALUE, io), 2);
    assert.equal(plainLine(io.err), true, JSON.stringify(io.err));
  }
});

test("a run that writes no framework error never asks whether a stream is a terminal", async () => {
  const io = countingIo(true);
  assert.equal(await runCli(["aton", "--json", "127.0.0.1"], io), 0);
  assert.match(io.out, /"exitCode": 0/);
  assert.equal(io.asked, 0);
});

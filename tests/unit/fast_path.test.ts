import { test } from "node:test";
import assert from "node:assert/strict";
import { tryFastPath } from "../../lib/cli/fast_path.ts";
import { runCli } from "../../lib/cli/run.ts";
import type { Io } from "../../lib/runtime/io.ts";

function memoryIo(): Io & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    write(stream: "stdout" | "stderr", text: string) {
      if (stream === "stdout") io.out += text;
      else io.err += text;
    },
    writeBytes: () => Promise.resolve(),
    flush: () => Promise.resolve(),
    isTerminal: () => false,
    env: () => undefined,
    stdin: () => new ReadableStream<Uint8Array>(),
  };
  return io;
}

const CASES = [
  ["htons", "20000"],
  ["htonl", "20000", "0x4e20"],
  ["ntohs", "8270", "--json"],
  ["ntohl", "541982720", "4294967295"],
];

for (const args of CASES) {
  test(`tryFastPath() prints exactly what the full CLI prints for ${args.join(" ")}`, async () => {
    const fast = memoryIo();
    const fastCode = tryFastPath(args, fast);
    assert.equal(fastCode, 0);
    const full = memoryIo();
    const fullCode = await runCli(args, full);
    assert.equal(fullCode, 0);
    assert.equal(fast.out, full.out);
    assert.equal(fast.err, "");
  });
}

test("tryFastPath() leaves bad input, other flags and other commands to the full CLI", () => {
  for (
    const args of [
      ["htons", "70000"],
      ["htons", "-1"],
      ["htons"],
      ["htons", "--help"],
      ["htonl", "4294967296"],
      ["service", "http"],
      [],
    ]
  ) {
    const io = memoryIo();
    assert.equal(tryFastPath(args, io), undefined, args.join(" "));
    assert.equal(io.out, "");
  }
});

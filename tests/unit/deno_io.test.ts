import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const IO = fileURLToPath(new URL("../../lib/runtime/io.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs `body` under `deno run` with `io` = processIo(); stderr is sent to stdout. */
function denoRun(body: string): string {
  const script = `import { processIo } from ${JSON.stringify(IO)};
const io = processIo();
${body}
await io.flush();`;
  const r = spawnSync(
    "bash",
    ["-c", 'exec deno run --quiet --no-prompt --config "$1/deno.json" - 2>&1', "run", ROOT],
    { input: script, encoding: "utf8", timeout: 30_000 },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

test("deno stdout: text held for a turn keeps its order with stderr and bytes", () => {
  const out = denoRun(`
io.write("stdout", "a");
io.write("stderr", "b");
io.write("stdout", "c");
await io.writeBytes("stdout", new TextEncoder().encode("d"));
io.write("stdout", "e");
setTimeout(() => io.write("stderr", "f"), 20);
await new Promise((r) => setTimeout(r, 50));
io.write("stdout", "g");`);
  assert.equal(out, "abcdefg");
});

test("deno stdout: every line of a large burst arrives, in order, by flush", () => {
  const out = denoRun(`for (let i = 0; i < 30000; i++) io.write("stdout", i + "\\n");`);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 30000);
  assert.ok(lines.every((l, i) => l === String(i)));
});

/**
 * netdiag as a library, as a user meets it: a script importing only mod.ts runs under Deno (an
 * explicit permission list) and Bun; the library's module graph holds nothing of the CLI; every
 * function mod.ts exports is documented with an example.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { bunPath, denoPath, jsonLines, run } from "../library/run.ts";

const SCRIPT = join(ROOT, "tests", "library", "user_script.ts");

/** Deno's permissions for the user script: loopback, the tables in /etc, the temp directory. */
function denoPermissions(): string[] {
  const tmp = tmpdir();
  return [
    "--allow-net=127.0.0.1,localhost",
    `--allow-read=/etc,${tmp}`,
    `--allow-write=${tmp}`,
    "--allow-env=TMPDIR,TMP,TEMP",
  ];
}

function checkUserScript(stdout: string): void {
  const steps = new Map(jsonLines(stdout).map((line) => [line.step, line]));
  assert.deepEqual(steps.get("conversions"), {
    step: "conversions",
    htons: 8270,
    ipv6: "2001:db8::1",
    http: 80,
  });
  const probe = steps.get("probe");
  assert.equal(probe?.open, "open", stdout);
  assert.equal(probe?.closed, "closed", stdout);
  assert.equal(probe?.met, false, "one of two endpoints is closed: not all open");
  assert.equal(probe?.waitMet, true, stdout);
  const resolved = steps.get("resolve");
  assert.equal(resolved?.status, "ok", stdout);
  assert.ok(
    (resolved?.addresses as string[]).some((a) => a === "127.0.0.1" || a === "::1"),
    stdout,
  );
  assert.deepEqual(steps.get("echo"), {
    step: "echo",
    messagesVerified: 20,
    bytesVerified: 2000,
    error: null,
  });
  assert.deepEqual(steps.get("transfer"), {
    step: "transfer",
    verified: 1,
    status: "verified",
    received: "netdiag as a library\n",
  });
}

test("a user's script importing mod.ts probes, resolves, echoes, sends and converts under deno run", async () => {
  const r = await run(denoPath(), ["run", "--quiet", "--no-prompt", ...denoPermissions(), SCRIPT]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  checkUserScript(r.stdout);
});

test("the same user's script works under bun run", async () => {
  const r = await run(bunPath(), ["run", SCRIPT]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  checkUserScript(r.stdout);
});

test("a step that throws makes the user's script fail (its checks can fail)", async () => {
  // Without network permission every socket step throws: the script must say so and exit 1.
  const r = await run(denoPath(), [
    "run",
    "--quiet",
    "--no-prompt",
    "--allow-read",
    "--allow-env=TMPDIR,TMP,TEMP",
    SCRIPT,
  ]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const echo = jsonLines(r.stdout).find((l) => l.step === "echo");
  assert.match(String(echo?.error), /net|NotCapable|permission/i);
});

test("importing mod.ts loads nothing of the CLI: no lib/cli/ module, no @stricli/core", async () => {
  const r = await run(denoPath(), ["info", "--json", join(ROOT, "mod.ts")]);
  assert.equal(r.code, 0, r.stderr);
  const graph = JSON.parse(r.stdout) as {
    modules: { specifier: string }[];
    npmPackages?: Record<string, unknown>;
  };
  const specifiers = graph.modules.map((m) => m.specifier);
  assert.ok(specifiers.some((s) => s.endsWith("/lib/api/probe.ts")), "the graph is the library's");
  assert.deepEqual(specifiers.filter((s) => s.includes("/lib/cli/")), []);
  assert.deepEqual(specifiers.filter((s) => s.includes("/lib/output/")), []);
  assert.deepEqual(specifiers.filter((s) => s.includes("stricli")), []);
  assert.deepEqual(Object.keys(graph.npmPackages ?? {}).filter((p) => p.includes("stricli")), []);
});

test("every function mod.ts exports has JSDoc with an example; every class and value JSDoc", async () => {
  const r = await run(denoPath(), ["doc", "--json", join(ROOT, "mod.ts")]);
  assert.equal(r.code, 0, r.stderr);
  interface Declaration {
    kind: string;
    jsDoc?: { doc?: string; tags?: { kind: string }[] };
  }
  const doc = JSON.parse(r.stdout) as {
    nodes: Record<string, { symbols: { name: string; declarations: Declaration[] }[] }>;
  };
  const symbols = Object.values(doc.nodes).flatMap((n) => n.symbols);
  const names = symbols.map((s) => s.name);
  for (const required of ["htons", "inetPton", "getServByName", "probe", "runEchoTest"]) {
    assert.ok(names.includes(required), `mod.ts exports ${required}`);
  }
  const documented = (d: Declaration) => Boolean(d.jsDoc?.doc);
  const withExample = (d: Declaration) =>
    documented(d) && Boolean(d.jsDoc?.tags?.some((t) => t.kind === "example"));
  const missing: string[] = [];
  for (const { name, declarations } of symbols) {
    const kind = declarations[0].kind;
    // An overloaded function: each public signature is documented, not the implementation.
    if (kind === "function" && !declarations.some(withExample)) missing.push(`${name} (example)`);
    if (!declarations.some(documented)) missing.push(`${name} (JSDoc)`);
  }
  assert.deepEqual(missing, []);
});

test("deno doc --lint mod.ts is clean: every type the library's API reaches is documented", async () => {
  const r = await run(denoPath(), ["doc", "--lint", join(ROOT, "mod.ts")]);
  const problems = [...r.stderr.matchAll(/-->\s+(\S+)/g)].map((m) => m[1].replace(ROOT + "/", ""));
  assert.equal(r.code, 0, `undocumented or private, reached from mod.ts:\n${problems.join("\n")}`);
});

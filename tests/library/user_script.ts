/**
 * A user's script: netdiag as a library, imported from its public entry point only (mod.ts),
 * run by tests/e2e/library.test.ts under `deno run` (an explicit permission list) and `bun run`.
 * It prints one JSON line per step (`{"step": …, …}`) and exits 1 when a step threw. The pieces
 * are the examples of docs/library.md.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  getServByName,
  htons,
  inetNtop,
  inetPton,
  probe,
  resolve,
  runEchoTest,
  sendFiles,
  startEchoServer,
  startReceiver,
  waitUntilOpen,
} from "../../mod.ts";

function report(step: string, facts: Record<string, unknown>): void {
  console.log(JSON.stringify({ step, ...facts }));
}

async function conversions(): Promise<void> {
  report("conversions", {
    htons: htons(20000),
    ipv6: inetNtop(6, inetPton(6, "2001:0db8:0:0:0:0:0:0001")),
    http: (await getServByName("http", "tcp"))?.port,
  });
}

async function probes(): Promise<void> {
  await using open = await startEchoServer();
  const gone = await startEchoServer();
  await gone.close(); // its port is now closed
  const targets = [`127.0.0.1:${open.port}`, `127.0.0.1:${gone.port}`];
  const run = probe({ targets, timeoutMs: 1000 });
  const states: Record<string, string> = {};
  for await (const result of run) states[result.target] = result.state;
  const summary = await run.summary;
  const wait = await waitUntilOpen({ targets: [targets[0]], waitMs: 3000 }).summary;
  report("probe", {
    open: states[targets[0]],
    closed: states[targets[1]],
    counts: summary.counts,
    met: summary.met,
    waitMet: wait.met,
  });
}

async function names(): Promise<void> {
  const result = await resolve("localhost");
  report("resolve", {
    status: result.status,
    addresses: result.answers.flatMap((a) => a.addresses.map((x) => x.address)),
  });
}

async function echo(): Promise<void> {
  await using server = await startEchoServer();
  const result = await runEchoTest({ target: server, count: 20, size: 100 });
  report("echo", {
    messagesVerified: result.messagesVerified,
    bytesVerified: result.bytesVerified,
    error: result.error ?? null,
  });
}

async function transfer(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "netdiag-user-"));
  try {
    const inbox = join(dir, "inbox");
    await mkdir(inbox);
    await writeFile(join(dir, "notes.txt"), "netdiag as a library\n");
    await using receiver = await startReceiver({ dir: inbox });
    const { summary, results } = await sendFiles({
      files: [join(dir, "notes.txt")],
      target: receiver,
    });
    report("transfer", {
      verified: summary.verified,
      status: results[0]?.status,
      received: await readFile(join(inbox, "notes.txt"), "utf8"),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const steps: [string, () => Promise<void>][] = [
  ["conversions", conversions],
  ["probe", probes],
  ["resolve", names],
  ["echo", echo],
  ["transfer", transfer],
];
let failed = false;
for (const [name, step] of steps) {
  try {
    await step();
  } catch (error) {
    failed = true;
    report(name, { error: error instanceof Error ? `${error.name}: ${error.message}` : error });
  }
}
if (failed) process.exitCode = 1;

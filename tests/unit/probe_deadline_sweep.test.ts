/** DeadlineSweep: one timer for the deadlines of many probe connects. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DeadlineSweep } from "../../lib/net/deadline_sweep.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function entry(deadline: number, log: string[], name: string) {
  return { deadline, expire: () => log.push(`${name}@${performance.now() >= deadline}`) };
}

test("DeadlineSweep expires each entry once, never before its deadline", async () => {
  const sweep = new DeadlineSweep();
  const log: string[] = [];
  const now = performance.now();
  sweep.add(entry(now + 60, log, "late"));
  sweep.add(entry(now + 20, log, "early"));
  sweep.add(entry(now + 20, log, "twin"));
  await sleep(40);
  assert.deepEqual(log.sort(), ["early@true", "twin@true"]);
  await sleep(60);
  assert.deepEqual(log.sort(), ["early@true", "late@true", "twin@true"]);
  assert.equal(sweep.size, 0);
});

test("DeadlineSweep never expires an entry removed before its deadline", async () => {
  const sweep = new DeadlineSweep();
  const log: string[] = [];
  const gone = entry(performance.now() + 20, log, "gone");
  const kept = entry(performance.now() + 30, log, "kept");
  sweep.add(gone);
  sweep.add(kept);
  sweep.delete(gone);
  await sleep(60);
  assert.deepEqual(log, ["kept@true"]);
});

test("DeadlineSweep re-arms for an entry earlier than the armed one", async () => {
  const sweep = new DeadlineSweep();
  const log: string[] = [];
  const far = entry(performance.now() + 5000, log, "far");
  sweep.add(far);
  sweep.add(entry(performance.now() + 10, log, "near"));
  await sleep(50);
  assert.deepEqual(log, ["near@true"]);
  assert.equal(sweep.size, 1);
  // Removing the last entry stops the timer (a leaked one would fail Deno's sanitizer).
  sweep.delete(far);
  assert.equal(sweep.size, 0);
});

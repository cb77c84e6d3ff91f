import { test } from "node:test";
import assert from "node:assert/strict";
import { pickFqdn } from "../../lib/core/fqdn.ts";
import {
  answersAgree,
  combineStatus,
  lookupExitCode,
  summarise,
  summaryExitCode,
} from "../../lib/core/name_lookup.ts";
import { AHEAD_FACTOR, mapOrdered } from "../../lib/core/ordered_pool.ts";
import { inputLines, textLines } from "../../lib/core/text_lines.ts";
import { plainStyle } from "../../lib/output/style.ts";
import { resolveItemText, summaryText } from "../../lib/output/views/lookup_view.ts";

test("pickFqdn() takes the first name with a dot among hostname and aliases", () => {
  assert.equal(
    pickFqdn("vm", { hostname: "vm", aliases: ["vm.example.com", "x.y"] }),
    "vm.example.com",
  );
  assert.equal(pickFqdn("vm", { hostname: "vm.lan", aliases: ["vm.example.com"] }), "vm.lan");
});

test("pickFqdn() falls back to the answer's hostname, and to the name when the lookup failed", () => {
  assert.equal(pickFqdn("vm", { hostname: "localhost", aliases: ["loop"] }), "localhost");
  assert.equal(pickFqdn("vm", undefined), "vm");
});

test("mapOrdered() delivers results in input order with bounded concurrency", async () => {
  let inFlight = 0;
  let peak = 0;
  const seen: number[] = [];
  const delays = [30, 5, 20, 1, 10, 0, 15];
  const count = await mapOrdered(delays, {
    concurrency: 3,
    work: async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    },
    onResult: (r) => seen.push(r),
  });
  assert.equal(count, 7);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(peak <= 3 && peak >= 2, `peak ${peak}`);
});

test("mapOrdered() reads an async input as it goes", async () => {
  async function* gen() {
    yield "a";
    await new Promise((r) => setTimeout(r, 5));
    yield "b";
  }
  const out: string[] = [];
  await mapOrdered(gen(), {
    concurrency: 4,
    work: (s) => Promise.resolve(s.toUpperCase()),
    onResult: (r) => out.push(r),
  });
  assert.deepEqual(out, ["A", "B"]);
});

test("mapOrdered() holds at most AHEAD_FACTOR windows of results behind a slow first input", async () => {
  const bound = 4 * AHEAD_FACTOR;
  let started = 0;
  let delivered = 0;
  let peakAhead = 0;
  const order: number[] = [];
  // The first input finishes only once the pool has reached its bound (or after 5 s, when it
  // never does): every other one is done at once.
  let release: () => void = () => {};
  const first = new Promise<void>((r) => (release = r));
  const fallback = setTimeout(release, 5000);
  const count = await mapOrdered([...Array(500).keys()], {
    concurrency: 4,
    work: async (i) => {
      started++;
      peakAhead = Math.max(peakAhead, started - delivered);
      if (started - delivered >= bound) setTimeout(release, 20); // past it nothing may start
      if (i === 0) await first;
      return i;
    },
    onResult: (i) => {
      delivered++;
      order.push(i);
    },
  });
  clearTimeout(fallback);
  assert.equal(count, 500);
  assert.deepEqual(order, [...Array(500).keys()]);
  assert.equal(peakAhead, bound, "inputs kept starting past the slow one, up to the bound");
});

test("mapOrdered() rejects when the work rejects", async () => {
  await assert.rejects(
    mapOrdered([1, 2], {
      concurrency: 2,
      work: (n) => n === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(n),
      onResult: () => {},
    }),
    /boom/,
  );
});

test("inputLines() splits a chunked stream, skipping blanks and comments", async () => {
  const enc = new TextEncoder();
  async function* chunks() {
    yield enc.encode("a.test\r\n# c\n\n b.te");
    yield enc.encode("st \nc.test");
  }
  const lines: string[] = [];
  for await (const l of inputLines(chunks())) lines.push(l);
  assert.deepEqual(lines, ["a.test", "b.test", "c.test"]);
  assert.deepEqual(textLines("x A\n\n#y\n z MX \n"), ["x A", "z MX"]);
});

test("combineStatus() is ok when any source answered, else the failure, else negative", () => {
  assert.equal(combineStatus(["not-found", "ok"]), "ok");
  assert.equal(combineStatus(["not-found", "timeout"]), "timeout");
  assert.equal(combineStatus(["no-data", "not-found"]), "no-data");
  assert.equal(combineStatus(["not-found"]), "not-found");
  assert.equal(lookupExitCode("no-data"), 1);
  assert.equal(lookupExitCode("failure"), 3);
});

test("answersAgree() compares address sets regardless of order", () => {
  assert.equal(answersAgree([["a", "b"], ["b", "a"]]), true);
  assert.equal(answersAgree([["a"], ["a", "b"]]), false);
  assert.equal(answersAgree([]), true);
});

test("summarise() and summaryExitCode() put failures over invalid inputs over negatives", () => {
  const s = summarise(["ok", "not-found", "ok"], 0, 5);
  assert.deepEqual({ ...s }, { count: 3, ok: 2, negative: 1, failed: 0, invalid: 0, timeMs: 5 });
  assert.equal(summaryExitCode(s), 1);
  assert.equal(summaryExitCode(summarise(["ok", "not-found"], 1, 1)), 2);
  assert.equal(summaryExitCode(summarise(["ok", "not-found", "timeout"], 1, 1)), 3);
  assert.equal(summaryExitCode(summarise(["ok"], 0, 1)), 0);
  assert.equal(
    summaryText(s, "address"),
    "3 addresses: 2 answered, 1 not found, 0 failed in 5.00 ms",
  );
  assert.equal(
    summaryText(summarise(["ok"], 2, 1500), "query"),
    "3 queries: 1 answered, 0 not found, 0 failed, 2 invalid in 1.50 s",
  );
});

test("resolveItemText() with --first prints just the address for one name", () => {
  const item = {
    name: "localhost",
    mode: "first" as const,
    status: "ok" as const,
    answers: [{
      source: "system" as const,
      status: "ok" as const,
      from: "getaddrinfo",
      addresses: [{ address: "127.0.0.1", family: 4 as const }],
      timeMs: 1,
    }],
    timeMs: 1,
  };
  assert.equal(resolveItemText(item, true, plainStyle), "127.0.0.1\n");
  assert.equal(resolveItemText(item, false, plainStyle), "localhost  127.0.0.1\n");
  assert.equal(
    resolveItemText({ ...item, mode: "all" }, true, plainStyle),
    "localhost  127.0.0.1  IPv4  getaddrinfo  1.00 ms\n",
  );
});

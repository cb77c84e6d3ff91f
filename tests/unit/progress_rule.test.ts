import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFAULT_PROGRESS_LIMITS,
  describeStall,
  progressCheckEveryMs,
  type ProgressLimits,
  ProgressRule,
} from "../../lib/core/progress_rule.ts";

const limits = (over: Partial<ProgressLimits> = {}): ProgressLimits => ({
  headerMs: 1000,
  minBytesPerSecond: 1000,
  windowMs: 1000,
  idleMs: 5000,
  ...over,
});

/**
 * Drives a rule through reads: each read waits `waitMs` and brings `bytes`; returns the first
 * stall seen (checked every 10 ms of every wait) with the time it was seen, or undefined.
 */
function feed(rule: ProgressRule, reads: number, waitMs: number, bytes: number, start = 0) {
  let now = start;
  for (let i = 0; i < reads; i++) {
    rule.waitStart(now);
    for (let t = 10; t <= waitMs; t += 10) {
      const stall = rule.check(now + t);
      if (stall) return { stall, at: now + t, now };
    }
    now += waitMs;
    rule.waitEnd(now, bytes);
  }
  return { stall: undefined, at: -1, now };
}

test("ProgressRule cuts a sender that trickles its first header past the header deadline", () => {
  const rule = new ProgressRule(limits({ minBytesPerSecond: 0 }));
  const { stall, at } = feed(rule, 100, 100, 1);
  assert.deepEqual(stall, { kind: "header", afterFile: false, limitMs: 1000 });
  assert.equal(at, 1000);
});

test("ProgressRule counts the header deadline again from the end of the previous file", () => {
  const rule = new ProgressRule(limits({ minBytesPerSecond: 0 }));
  rule.headerReceived();
  let { stall, now } = feed(rule, 30, 100, 50);
  assert.equal(stall, undefined, "no header is due inside a file");
  rule.frameEnded();
  ({ stall } = feed(rule, 30, 100, 1, now));
  assert.deepEqual(stall, { kind: "header", afterFile: true, limitMs: 1000 });
});

test("ProgressRule cuts a body trickled below the minimum rate over the window", () => {
  const rule = new ProgressRule(limits());
  rule.headerReceived();
  const { stall, at } = feed(rule, 100, 100, 10);
  assert.equal(stall?.kind, "slow");
  assert.equal(at, 1000, "judged once a whole window has passed");
  if (stall?.kind === "slow") {
    assert.ok(stall.bytesPerSecond > 50 && stall.bytesPerSecond < 150, `${stall.bytesPerSecond}`);
    assert.equal(stall.minBytesPerSecond, 1000);
    assert.equal(stall.windowMs, 1000);
  }
});

test("ProgressRule spares a sender at the minimum rate, and one that slows down only briefly", () => {
  const rule = new ProgressRule(limits());
  rule.headerReceived();
  assert.equal(feed(rule, 100, 100, 110).stall, undefined, "1100 B/s for 10 s");
  const burst = new ProgressRule(limits());
  burst.headerReceived();
  let { now, stall } = feed(burst, 10, 100, 5000);
  assert.equal(stall, undefined);
  ({ now, stall } = feed(burst, 5, 100, 0, now));
  assert.equal(stall, undefined, "half a second of silence after 50 kB/s");
  ({ stall } = feed(burst, 20, 100, 0, now));
  assert.equal(stall?.kind, "slow", "but a whole window of it is cut");
});

test("ProgressRule does not count the receiver's own work (time outside waits)", () => {
  const rule = new ProgressRule(limits());
  rule.headerReceived();
  let now = 0;
  for (let i = 0; i < 100; i++) {
    rule.waitStart(now);
    now += 1;
    rule.waitEnd(now, 2);
    // The receiver writes and syncs for a second after every read: no read is pending.
    assert.equal(rule.check(now + 500), undefined);
    now += 1000;
  }
  assert.equal(rule.clock(now), 100);
});

test("ProgressRule cuts a silent sender after the idle limit, and never judges outside a wait", () => {
  const rule = new ProgressRule(limits({ headerMs: 60_000, minBytesPerSecond: 0, idleMs: 300 }));
  assert.deepEqual(feed(rule, 1, 1000, 0).stall, { kind: "idle", limitMs: 300 });
  const busy = new ProgressRule(limits());
  busy.waitStart(0);
  busy.waitEnd(1200, 0);
  assert.equal(busy.check(1300), undefined, "late, but the receiver is busy, not waiting");
  busy.waitStart(1400);
  assert.equal(busy.check(1400)?.kind, "header", "judged again once it waits");
});

test("ProgressRule with no minimum rate lets a slow body through", () => {
  const rule = new ProgressRule(limits({ minBytesPerSecond: 0 }));
  rule.headerReceived();
  assert.equal(feed(rule, 100, 100, 1).stall, undefined);
});

test("progressCheckEveryMs() checks ten times per shortest limit, within 10 ms and 500 ms", () => {
  assert.equal(progressCheckEveryMs(DEFAULT_PROGRESS_LIMITS), 500);
  assert.equal(progressCheckEveryMs(limits({ headerMs: 2000, windowMs: 2000 })), 200);
  assert.equal(progressCheckEveryMs(limits({ idleMs: 50 })), 10);
  assert.equal(
    progressCheckEveryMs(limits({ minBytesPerSecond: 0, windowMs: 100, headerMs: 3000 })),
    300,
  );
});

test("describeStall() says which bound a cut sender missed, with the limits as set", () => {
  assert.equal(
    describeStall({ kind: "header", afterFile: false, limitMs: 10_000 }),
    "too slow: no complete file header within 10s of connecting",
  );
  assert.equal(
    describeStall({ kind: "header", afterFile: true, limitMs: 1500 }),
    "too slow: no complete file header within 1.5s of the previous file",
  );
  assert.equal(describeStall({ kind: "idle", limitMs: 30_000 }), "idle for 30s");
  assert.equal(
    describeStall({
      kind: "slow",
      bytesPerSecond: 312.7,
      minBytesPerSecond: 1024,
      windowMs: 10_000,
    }),
    "too slow: 312 B/s over the last 10s, at least 1024 B/s needed",
  );
});

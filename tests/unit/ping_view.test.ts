/**
 * `ping`'s view: the statistics (loss, min/avg/max/mdev, percentiles, streaks), the exit code,
 * the attempt lines and the summary block, on hand-made attempts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type PingAttempt,
  pingAttemptLine,
  pingExitCode,
  pingSummary,
  pingSummaryText,
} from "../../lib/output/views/ping_view.ts";
import { plainStyle } from "../../lib/output/style.ts";

function attempt(seq: number, ok: boolean, timeMs: number): PingAttempt {
  return {
    seq,
    ok,
    address: "127.0.0.1",
    port: 80,
    family: 4,
    timeMs,
    reason: ok ? null : "tcp_refused",
    message: ok ? null : "refused",
    status: null,
    startedAt: "2026-01-01T00:00:00.000Z",
    timings: null,
  };
}

test("pingSummary counts loss and computes min/avg/max/mdev over successes only", () => {
  const s = pingSummary("h:80", "tcp", [
    attempt(1, true, 1),
    attempt(2, false, 50),
    attempt(3, true, 3),
    attempt(4, true, 2),
  ], 10);
  assert.equal(s.sent, 4);
  assert.equal(s.received, 3);
  assert.equal(s.lossPercent, 25);
  assert.equal(s.minMs, 1);
  assert.equal(s.maxMs, 3);
  assert.equal(s.avgMs, 2);
  assert.equal(s.mdevMs, Math.round(Math.sqrt(2 / 3) * 1000) / 1000);
});

test("pingSummary takes nearest-rank percentiles of the successful times", () => {
  const attempts = Array.from({ length: 100 }, (_, i) => attempt(i + 1, true, i + 1));
  const s = pingSummary("h:80", "tcp", attempts, 1);
  assert.deepEqual([s.p50Ms, s.p90Ms, s.p99Ms], [50, 90, 99]);
});

test("pingSummary finds the longest up and down streaks", () => {
  const pattern = [true, true, false, false, false, true, true, true, false];
  const s = pingSummary("h:80", "tcp", pattern.map((ok, i) => attempt(i + 1, ok, 1)), 1);
  assert.equal(s.longestUp, 3);
  assert.equal(s.longestDown, 3);
});

test("with no success the times are null and the exit code is 1, as ping", () => {
  const s = pingSummary("h:80", "tcp", [attempt(1, false, 1), attempt(2, false, 1)], 1);
  assert.equal(s.minMs, null);
  assert.equal(s.p99Ms, null);
  assert.equal(s.lossPercent, 100);
  assert.equal(pingExitCode(s), 1);
  assert.doesNotMatch(pingSummaryText(s, plainStyle, false), /min\/avg/);
});

test("one success is enough for exit 0; no attempt at all is 0 too", () => {
  const some = pingSummary("h:80", "tcp", [attempt(1, false, 1), attempt(2, true, 1)], 1);
  assert.equal(pingExitCode(some), 0);
  assert.equal(pingExitCode(pingSummary("h:80", "tcp", [], 0)), 0);
});

test("attempt lines name the address and the time, or the failure's reason", () => {
  assert.equal(
    pingAttemptLine(attempt(1, true, 0.5), "tcp", plainStyle),
    "seq=1 127.0.0.1:80 connected time=0.50 ms\n",
  );
  assert.equal(
    pingAttemptLine(attempt(2, false, 1.25), "tcp", plainStyle),
    "seq=2 127.0.0.1:80 failed: tcp_refused (refused) time=1.25 ms\n",
  );
  const http = { ...attempt(3, true, 2), status: 200, address: "::1" };
  assert.equal(
    pingAttemptLine(http, "http", plainStyle),
    "seq=3 [::1]:80 status=200 time=2.00 ms\n",
  );
});

test("attempt lines escape what the peer controls", () => {
  const evil = { ...attempt(1, false, 1), message: "bad\x1b]0;x\x07" };
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(pingAttemptLine(evil, "tcp", plainStyle), /\x1b/);
});

test("the summary block reads as ping's and says when it was interrupted", () => {
  const s = pingSummary("h:80", "tcp", [attempt(1, true, 1), attempt(2, false, 1)], 1500);
  const text = pingSummaryText(s, plainStyle, true);
  assert.match(text, /--- h:80 ping statistics ---/);
  assert.match(text, /2 attempts, 1 succeeded, 50% loss, time 1\.50 s \(interrupted\)/);
  assert.match(text, /min\/avg\/max\/mdev = 1\.000\/1\.000\/1\.000\/0\.000 ms/);
  assert.match(text, /longest streaks: up 1, down 1/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatByteCount,
  formatDurationSetting,
  formatMs,
  formatProgress,
  receiveView,
  sendView,
} from "../../lib/output/views/transfer_view.ts";
import { plainStyle } from "../../lib/output/style.ts";

test("formatByteCount() uses powers of 1000 and keeps three significant digits", () => {
  assert.equal(formatByteCount(0), "0 B");
  assert.equal(formatByteCount(999), "999 B");
  assert.equal(formatByteCount(1500), "1.50 kB");
  assert.equal(formatByteCount(10_000_000), "10.0 MB");
  assert.equal(formatByteCount(1_073_741_824), "1.07 GB");
  assert.equal(formatByteCount(999_999), "1.00 MB");
});

test("formatMs() and formatDurationSetting() read naturally", () => {
  assert.equal(formatMs(0.423), "0.42 ms");
  assert.equal(formatMs(12.34), "12.3 ms");
  assert.equal(formatMs(1520), "1.52 s");
  assert.equal(formatDurationSetting(300_000), "5m");
  assert.equal(formatDurationSetting(2000), "2s");
  assert.equal(formatDurationSetting(1500), "1.5s");
  assert.equal(formatDurationSetting(250), "250ms");
});

test("formatProgress() shows the bar, percentage, bytes and rate within the width", () => {
  const line = formatProgress({ name: "a.bin", done: 5_000_000, total: 10_000_000, seconds: 0.5 });
  assert.equal(line, "a.bin [##########----------]  50%  5.00 MB/10.0 MB  10.0 MB/s");
  const long = formatProgress({
    name: "n".repeat(200),
    done: 0,
    total: 0,
    seconds: 0,
    columns: 80,
  });
  assert.ok(long.length <= 80, `${long.length}`);
  assert.match(long, /100%/);
});

test("sendView quotes names so hostile bytes cannot reach the terminal raw", () => {
  const line = sendView.item({
    path: "x",
    name: "a\x1bb",
    size: 1,
    sha256: "",
    status: "refused",
    error: "no",
    seconds: 0,
    mbPerSecond: 0,
  }, plainStyle);
  assert.ok(!line.includes("\x1b"), line);
  assert.match(line, /^refused +"a\\u001bb"/);
});

test("send and receive summaries read as one line and map to exit codes", () => {
  const s = {
    target: "9",
    address: "127.0.0.1:9",
    total: 2,
    verified: 1,
    refused: 1,
    failed: 0,
    bytes: 10,
    seconds: 1,
    mbPerSecond: 0,
  };
  assert.match(
    sendView.summary(s, plainStyle),
    /^2 files, 10 B to 127.0.0.1:9 in 1.00 s \(0.0 MB\/s\): 1 of 2 verified, 1 refused\n$/,
  );
  assert.equal(sendView.exitCode!(s), 1);
  const r = { address: "a", dir: "d", senders: 3, saved: 3, refused: 0, failed: 0, bytes: 3000 };
  assert.equal(
    receiveView.summary(r, plainStyle),
    "3 saved, 0 refused, 0 failed (3.00 kB from 3 senders)\n",
  );
  assert.equal(receiveView.exitCode!(r), 0);
});

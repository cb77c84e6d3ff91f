import { test } from "node:test";
import assert from "node:assert/strict";
import {
  describeStall,
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

/** Control, C1, bidi and separator characters that must never reach a terminal raw. */
// deno-lint-ignore no-control-regex
const RAW = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

test("sendView shows a receiver's error text and odd names escaped, never raw", () => {
  const line = sendView.item({
    path: "x",
    name: "inv\u202eoice\u0085",
    size: 1,
    sha256: "",
    status: "refused",
    error: "\x1b]0;pwned\x07\x1b[2J\u009b31m\u2066x\r\nnext",
    seconds: 0,
    mbPerSecond: 0,
  }, plainStyle);
  assert.ok(!RAW.test(line.slice(0, -1)), JSON.stringify(line));
  assert.equal(
    line,
    'refused   "inv\\u202eoice\\u0085"  1 B  ' +
      "\\e]0;pwned\\x07\\e[2J\\x9b31m\\u{2066}x\\r\\nnext\n",
  );
});

test("receiveView escapes what a sender controls: the name, the peer label, the error", () => {
  const line = receiveView.item({
    name: "a\u2028b",
    peer: "/tmp/\x1b[31mred.sock",
    status: "failed",
    size: 3,
    error: "protocol error: \x1bc",
    seconds: 0,
    mbPerSecond: 0,
  }, plainStyle);
  assert.ok(!RAW.test(line.slice(0, -1)), JSON.stringify(line));
  assert.equal(
    line,
    'failed   "a\\u2028b"  3 B  from /tmp/\\e[31mred.sock  protocol error: \\ec\n',
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

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  droppedLine,
  formatByteCount,
  formatDurationSetting,
  formatMs,
  formatProgress,
  leftoverLines,
  listeningLine,
  receiveView,
  SendProgressLine,
  sendView,
} from "../../lib/output/views/transfer_view.ts";
import { formatBytes, formatDuration } from "../../lib/output/units.ts";
import { plainStyle } from "../../lib/output/style.ts";
import type { ReceivedFile, SendSummary, SentFile } from "../../lib/core/transfer.ts";
import { memoryIo } from "../support/memory_io.ts";

const sent = (over: Partial<SentFile> = {}): SentFile => ({
  path: "x",
  name: "a",
  size: 1,
  sha256: "",
  status: "refused",
  error: "no",
  durationMs: 0,
  bytesPerSecond: 0,
  ...over,
});

const received = (over: Partial<ReceivedFile> = {}): ReceivedFile => ({
  name: "a",
  peer: { address: "127.0.0.1", port: 50412, family: 4 },
  status: "failed",
  size: 3,
  error: "e",
  durationMs: 0,
  bytesPerSecond: 0,
  ...over,
});

test("the old formatter names stay as re-exports of lib/output/units.ts for other commands", () => {
  assert.equal(formatByteCount, formatBytes);
  assert.equal(formatMs, formatDuration);
  assert.equal(formatDurationSetting(1500), "1.5s");
});

test("formatProgress() shows the bar, percentage, bytes and rate within the width", () => {
  const line = formatProgress({
    name: "a.bin",
    doneBytes: 5_000_000,
    totalBytes: 10_000_000,
    elapsedMs: 500,
  });
  assert.equal(line, "a.bin [##########----------]  50%  5.00 MB/10.0 MB  10.0 MB/s");
  const long = formatProgress({
    name: "n".repeat(200),
    doneBytes: 0,
    totalBytes: 0,
    elapsedMs: 0,
    columns: 80,
  });
  assert.ok(long.length <= 80, `${long.length}`);
  assert.match(long, /100%/);
});

test("SendProgressLine draws on stderr only when on, throttled but always at a file's end", () => {
  const off = memoryIo();
  const quiet = new SendProgressLine({ io: off, process: {} }, false);
  quiet.hashing("a");
  quiet.draw("a", 1, 1);
  assert.equal(off.err, "");
  const io = memoryIo();
  const line = new SendProgressLine({ io, process: {} }, true);
  line.hashing("a.bin");
  line.draw("a.bin", 1, 10);
  line.draw("a.bin", 2, 10); // within 100 ms of the last draw: skipped
  line.draw("a.bin", 10, 10); // the end: drawn
  line.clear();
  const draws = io.err.split("\r\x1b[K").filter((s) => s !== "");
  assert.equal(draws.length, 3, JSON.stringify(draws));
  assert.equal(draws[0], "a.bin: hashing…");
  assert.match(draws[2], /100%/);
  assert.equal(io.out, "");
});

test("sendView quotes names so hostile bytes cannot reach the terminal raw", () => {
  const line = sendView.item(sent({ name: "a\x1bb" }), plainStyle);
  assert.ok(!line.includes("\x1b"), line);
  assert.match(line, /^refused +"a\\u001bb"/);
});

test("sendView shows a verified file with its short hash and rate", () => {
  const line = sendView.item(
    sent({
      name: "r.pdf",
      size: 1_200_000,
      sha256: "3a7bd3e2360a" + "0".repeat(52),
      status: "verified",
      error: undefined,
      durationMs: 12.6,
      bytesPerSecond: 95_100_000,
    }),
    plainStyle,
  );
  assert.equal(line, 'verified  "r.pdf"  1.20 MB  sha256 3a7bd3e2360a…  95.1 MB/s\n');
});

test("send and receive summaries read as one line and map to exit codes", () => {
  const s: SendSummary = {
    address: "127.0.0.1",
    port: 9,
    family: 4,
    total: 2,
    verified: 1,
    refused: 1,
    failed: 0,
    bytes: 10,
    durationMs: 1000,
    bytesPerSecond: 10,
  };
  assert.equal(
    sendView.summary(s, plainStyle, false),
    "2 files, 10 B to 127.0.0.1:9 in 1.00 s (10 B/s): 1 of 2 verified, 1 refused\n",
  );
  assert.match(sendView.summary(s, plainStyle, true), /verified, 1 refused \(interrupted\)\n$/);
  assert.equal(sendView.exitCode!(s), 1);
  assert.equal(sendView.command, "send");
  const r = {
    path: "/run/r.sock",
    dir: "d",
    senders: 3,
    total: 3,
    saved: 3,
    refused: 0,
    failed: 0,
    bytes: 3000,
    durationMs: 10,
    stopped: false,
  };
  assert.equal(
    receiveView.summary(r, plainStyle, false),
    "3 saved, 0 refused, 0 failed (3.00 kB from 3 senders)\n",
  );
  assert.equal(receiveView.exitCode!(r), 0);
  assert.equal(receiveView.exitCode!({ ...r, refused: 1 }), 1);
  assert.equal(receiveView.exitCode!({ ...r, refused: 1, stopped: true }), 0);
  assert.equal(receiveView.command, "receive");
});

/** Control, C1, bidi and separator characters that must never reach a terminal raw. */
// deno-lint-ignore no-control-regex
const RAW = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

test("sendView shows a receiver's error text and odd names escaped, never raw", () => {
  const line = sendView.item(
    sent({ name: "inv\u202eoice\u0085", error: "\x1b]0;pwned\x07\x1b[2J\u009b31m\u2066x\r\nnext" }),
    plainStyle,
  );
  assert.ok(!RAW.test(line.slice(0, -1)), JSON.stringify(line));
  assert.equal(
    line,
    'refused   "inv\\u202eoice\\u0085"  1 B  ' +
      "\\e]0;pwned\\x07\\e[2J\\x9b31m\\u{2066}x\\r\\nnext\n",
  );
});

test("receiveView escapes what a sender controls: the name, the peer path, the error", () => {
  const line = receiveView.item(
    received({
      name: "a\u2028b",
      peer: { path: "/tmp/\x1b[31mred.sock" },
      error: "protocol error: \x1bc",
    }),
    plainStyle,
  );
  assert.ok(!RAW.test(line.slice(0, -1)), JSON.stringify(line));
  assert.equal(
    line,
    'failed   "a\\u2028b"  3 B  from /tmp/\\e[31mred.sock  protocol error: \\ec\n',
  );
  assert.match(
    receiveView.item(received({ peer: { path: "" } }), plainStyle),
    / from a unix client /,
  );
  assert.match(
    receiveView.item(received({ peer: { address: "::1", port: 5, family: 6 } }), plainStyle),
    / from \[::1\]:5 /,
  );
});

test("receive's stderr lines: listening, a dropped sender, leftovers removed or not", () => {
  assert.equal(
    listeningLine({ address: "127.0.0.1", port: 9009, family: 4 }, "/srv/in"),
    'listening on 127.0.0.1:9009, saving into "/srv/in"\n',
  );
  assert.equal(
    droppedLine({ address: "127.0.0.1", port: 5, family: 4 }, "idle for 30s"),
    "netdiag: dropped 127.0.0.1:5: idle for 30s\n",
  );
  assert.equal(leftoverLines({ dir: "/d", removed: 0, failures: [] }), "");
  assert.equal(
    leftoverLines({
      dir: "/d",
      removed: 2,
      failures: [{ name: ".netdiag-0123456789abcdef.part", reason: "permission denied (EACCES)" }],
    }),
    'removed 2 leftover temporary files (.netdiag-*.part) of an earlier receive from "/d"\n' +
      'netdiag: cannot remove leftover "/d/.netdiag-0123456789abcdef.part": ' +
      "permission denied (EACCES)\n",
  );
  assert.equal(
    leftoverLines({ dir: "/d", removed: 0, failures: [], error: "permission denied (EACCES)" }),
    'netdiag: cannot look for leftover .netdiag-*.part files in "/d": permission denied (EACCES)\n',
  );
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { formatCtime } from "../../lib/core/ctime.ts";
import { createReplier, replyTo, upperAsciiInPlace } from "../../lib/core/echo_reply.ts";
import { DEFAULT_ECHO_PORT, planListeners } from "../../lib/core/echo_serve.ts";
import {
  echoTestExitCode,
  type EchoTestResult,
  firstDifference,
  firstDifferenceAt,
  makePattern,
  parseHostPort,
  payloadOffset,
  readSequence,
  SequenceTracker,
  writeSequence,
} from "../../lib/core/echo_test.ts";
import { InputError } from "../../lib/core/errors.ts";
import { parseByteSize } from "../../lib/core/parse_size.ts";
import {
  echoTestText,
  echoTestView,
  listeningLine,
  listeningResult,
  serveSummary,
  sessionLine,
  totalsText,
} from "../../lib/output/views/echo_view.ts";
import { plainStyle } from "../../lib/output/style.ts";

/** Whether `text` holds ESC, BEL or a bidi override raw (as a terminal would act on them). */
function rawControls(text: string): boolean {
  return ["\x1b", "\x07", "\u202e"].some((c) => text.includes(c));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

test("formatCtime() matches Python's time.ctime(), the day padded with a space", () => {
  assert.equal(formatCtime(new Date(2026, 10, 22, 3, 16, 41)), "Sun Nov 22 03:16:41 2026");
  assert.equal(formatCtime(new Date(2026, 10, 2, 13, 5, 9)), "Mon Nov  2 13:05:09 2026");
  assert.equal(formatCtime(new Date(2000, 0, 1, 0, 0, 0)), "Sat Jan  1 00:00:00 2000");
});

test("upper mode uppercases ASCII letters only, like bytes.upper()", () => {
  const data = enc.encode("abc xyz ÄéZ 09");
  assert.equal(dec.decode(upperAsciiInPlace(data)), "ABC XYZ ÄéZ 09");
});

test("each reply mode produces the tutorial server's answer", () => {
  const now = () => new Date(2026, 10, 22, 3, 16, 41);
  const reply = (mode: "echo" | "upper" | "stamp" | "prefix", prefix?: string) =>
    dec.decode(replyTo(createReplier(mode, { now, prefix }), enc.encode("hi there")));
  assert.equal(reply("echo"), "hi there");
  assert.equal(reply("upper"), "HI THERE");
  assert.equal(reply("stamp"), "[Sun Nov 22 03:16:41 2026] hi there");
  assert.equal(reply("prefix"), "OK...hi there");
  assert.equal(reply("prefix", ">> "), ">> hi there");
});

test("parseHostPort() takes HOST:PORT, [IPv6]:PORT and a bare PORT on 127.0.0.1", () => {
  assert.deepEqual(parseHostPort("example.org:7"), { hostname: "example.org", port: 7 });
  assert.deepEqual(parseHostPort("[::1]:7007"), { hostname: "::1", port: 7007 });
  assert.deepEqual(parseHostPort("7007"), { hostname: "127.0.0.1", port: 7007 });
});

test("parseHostPort() rejects a missing or bad port and a bare IPv6 address", () => {
  for (const bad of ["host", "host:", "host:70000", "::1:7", "a:b:c", ""]) {
    assert.throws(() => parseHostPort(bad), InputError, bad);
  }
});

test("parseByteSize() reads bytes with binary k, M, G suffixes", () => {
  assert.equal(parseByteSize("512"), 512);
  assert.equal(parseByteSize("64k"), 65536);
  assert.equal(parseByteSize("64KiB"), 65536);
  assert.equal(parseByteSize("1.5M"), 1572864);
  assert.equal(parseByteSize("1G"), 1 << 30);
  assert.equal(parseByteSize("2gb"), 2 * 2 ** 30);
  assert.throws(() => parseByteSize("-1"), /invalid size "-1"/);
  assert.throws(() => parseByteSize("12q"), InputError);
  assert.throws(() => parseByteSize("2k", { max: 1000 }), /out of range: expected 0 to 1000/);
});

test("planListeners(): PORT means TCP and UDP together; nothing means both on 7007", () => {
  assert.deepEqual(planListeners({}, 9000), {
    tcp: 9000,
    udp: 9000,
    unix: undefined,
    samePort: true,
  });
  assert.deepEqual(planListeners({}), {
    tcp: DEFAULT_ECHO_PORT,
    udp: DEFAULT_ECHO_PORT,
    samePort: true,
  });
  assert.deepEqual(planListeners({ unix: "/tmp/s" }), {
    tcp: undefined,
    udp: undefined,
    unix: "/tmp/s",
    samePort: false,
  });
  assert.deepEqual(planListeners({ tcp: 1, udp: 0 }).udp, 0);
  assert.throws(() => planListeners({ tcp: 1 }, 2), /conflicting flags/);
  assert.throws(() => planListeners({ port: 1 }, 2), /conflicting ports/);
});

test("firstDifference() finds the first differing offset, or the shorter length", () => {
  const a = new Uint8Array([1, 2, 3, 4]);
  assert.equal(firstDifference(a, new Uint8Array([1, 2, 3, 4])), -1);
  assert.equal(firstDifference(a, new Uint8Array([1, 2, 9, 4])), 2);
  assert.equal(firstDifference(a, new Uint8Array([1, 2])), 2);
  assert.equal(firstDifference(a, new Uint8Array([1, 2, 3, 4, 5])), 4);
});

test("makePattern() repeats its start after the random part, so windows are contiguous", () => {
  let n = 0;
  const p = makePattern(10, 25, (c) => c.forEach((_, i) => (c[i] = n++)));
  assert.equal(p.length, 35);
  for (let i = 10; i < 35; i++) assert.equal(p[i], p[i % 10]);
});

test("payloadOffset() stays inside the pattern and differs for consecutive messages", () => {
  const offsets = [1, 2, 3, 4].map((s) => payloadOffset(s, 1009));
  assert.ok(offsets.every((o) => o >= 0 && o < 1009));
  assert.equal(new Set(offsets).size, 4);
});

test("the UDP sequence header round-trips", () => {
  const p = new Uint8Array(16);
  writeSequence(p, 0xdeadbeef, 42);
  assert.deepEqual(readSequence(p), { runId: 0xdeadbeef, seq: 42 });
  assert.equal(readSequence(new Uint8Array(7)), undefined);
});

test("SequenceTracker counts duplicates and replies that arrive after a higher one", () => {
  const t = new SequenceTracker();
  assert.deepEqual([1, 2, 4, 3, 4, 5, 2].map((s) => t.record(s)), [
    "new",
    "new",
    "new",
    "reordered",
    "duplicate",
    "new",
    "duplicate",
  ]);
  assert.equal(t.received, 5);
  assert.equal(t.duplicates, 2);
  assert.equal(t.reordered, 1);
});

test("echoTestExitCode(): 1 for a mismatch or no UDP reply, 3 for an error, else 0", () => {
  const base: EchoTestResult = {
    target: "x",
    transport: "tcp",
    pattern: "ping-pong",
    framed: false,
    connections: 1,
    size: 64,
    messagesSent: 1,
    messagesVerified: 1,
    bytesSent: 64,
    bytesVerified: 64,
    durationMs: 1000,
    messagesPerSecond: 1,
    bytesPerSecond: 64,
    rtt: null,
  };
  assert.equal(echoTestExitCode(base), 0);
  const mismatch = { connection: 1, message: 1, offset: 0, expected: 1, actual: 2 };
  assert.equal(echoTestExitCode({ ...base, mismatch }), 1);
  assert.equal(echoTestExitCode({ ...base, error: "timed out" }), 3);
  const udp = { lost: 1, lossPercent: 100, duplicates: 0, reordered: 0 };
  assert.equal(echoTestExitCode({ ...base, messagesVerified: 0, udp }), 1);
});

test("the per-connection line names peer, end, bytes each way and duration", () => {
  const line = sessionLine({
    type: "connection",
    transport: "tcp",
    peer: "127.0.0.1:5000",
    bytesIn: 1500,
    bytesOut: 1500,
    messages: 3,
    durationMs: 1234,
    end: "idle-timeout",
  }, plainStyle);
  assert.equal(
    line,
    "tcp 127.0.0.1:5000 idle-timeout; 1.50 kB in, 1.50 kB out, 3 messages, 1.23 s\n",
  );
  const totals = totalsText({
    type: "summary",
    connections: 2,
    rejected: 1,
    peakConnections: 2,
    datagrams: 1,
    udpPeers: 1,
    bytesIn: 10,
    bytesOut: 10,
    protocolErrors: 0,
    idleTimeouts: 0,
    stalled: 0,
    evicted: 0,
    uptimeMs: 500,
  });
  assert.equal(
    totals,
    "totals: 2 connections (peak 2, 1 rejected); 1 datagram from 1 UDP peer; 10 B in, 10 B out; " +
      "up 500 ms\n",
  );
});

test("the totals name stalled and evicted clients and the datagrams the kernel dropped", () => {
  const totals = totalsText({
    type: "summary",
    connections: 5,
    rejected: 0,
    peakConnections: 4,
    datagrams: 100,
    udpPeers: 2,
    bytesIn: 10,
    bytesOut: 10,
    protocolErrors: 0,
    idleTimeouts: 0,
    stalled: 1,
    evicted: 2,
    uptimeMs: 500,
    udpDrops: 7,
  });
  assert.match(
    totals,
    /; 1 stalled; 2 evicted; 7 datagrams dropped by the kernel \(receive buffer full\);/,
  );
});

test("peer-controlled text in echo serve and echo test lines is escaped for the terminal", () => {
  const clear = "\x1b[2J\x1b]0;pwned\x07\u202e";
  const line = sessionLine({
    type: "connection",
    transport: "unix",
    peer: `/tmp/${clear}`,
    bytesIn: 0,
    bytesOut: 0,
    messages: 0,
    durationMs: 1,
    end: "protocol-error",
    error: `bad header ${clear}`,
  }, plainStyle);
  assert.ok(!rawControls(line), JSON.stringify(line));
  assert.match(line, /bad header \\e\[2J\\e\]0;pwned\\x07\\u\{202e\}/);
  const human = echoTestText({
    target: "127.0.0.1:7",
    transport: "tcp",
    pattern: "ping-pong",
    framed: true,
    connections: 1,
    size: 64,
    messagesSent: 1,
    messagesVerified: 0,
    bytesSent: 64,
    bytesVerified: 0,
    durationMs: 10,
    messagesPerSecond: 0,
    bytesPerSecond: 0,
    rtt: null,
    error: `server reported: ${clear}`,
  }, plainStyle);
  assert.ok(!rawControls(human), JSON.stringify(human));
  assert.match(human, /error: server reported: \\e\[2J/);
});

test("the echo test report reads its durations and rates through one formatter per unit", () => {
  const text = echoTestText(
    {
      target: "[::1]:7",
      transport: "tcp",
      pattern: "ping-pong",
      framed: false,
      connections: 2,
      size: 64,
      messagesSent: 200,
      messagesVerified: 200,
      bytesSent: 12_800,
      bytesVerified: 12_800,
      durationMs: 1520,
      messagesPerSecond: 132,
      bytesPerSecond: 8_421,
      rtt: null,
    },
    plainStyle,
    true,
  );
  assert.equal(
    text,
    "echo test [::1]:7 (tcp, 2 connections, 64-byte messages)\n" +
      "  messages  200 sent, 200 verified in 1.52 s\n" +
      "  rate      132 msgs/s, 8.42 kB/s\n" +
      "interrupted\n",
  );
  assert.equal(
    echoTestView.item({
      connection: 1,
      messagesSent: 1,
      messagesVerified: 1,
      bytesSent: 64,
      bytesVerified: 64,
      durationMs: 1,
    }, plainStyle),
    "",
  );
});

test("a listening socket reads as address, port and family, or its path; the view imports no lib/net", () => {
  const v6 = { type: "listening", transport: "tcp", address: "::1", port: 7007 } as const;
  assert.equal(listeningLine(v6), "listening tcp [::1]:7007\n");
  assert.deepEqual(listeningResult(v6), {
    transport: "tcp",
    address: "::1",
    port: 7007,
    family: 6,
  });
  const unix = { type: "listening", transport: "unix", path: "/tmp/e.sock" } as const;
  assert.equal(listeningLine(unix), "listening unix /tmp/e.sock\n");
  assert.deepEqual(listeningResult(unix), { transport: "unix", path: "/tmp/e.sock" });
  const view = readFileSync(
    new URL("../../lib/output/views/echo_view.ts", import.meta.url),
    "utf8",
  );
  assert.doesNotMatch(view, /from "\.\.\/\.\.\/net\//);
});

test("serveSummary() drops the record type: the document's summary is the totals alone", () => {
  const totals = {
    type: "summary",
    connections: 0,
    rejected: 0,
    peakConnections: 0,
    datagrams: 0,
    udpPeers: 0,
    bytesIn: 0,
    bytesOut: 0,
    protocolErrors: 0,
    idleTimeouts: 0,
    stalled: 0,
    evicted: 0,
    uptimeMs: 5,
  } as const;
  const { type: _, ...rest } = totals;
  assert.deepEqual(serveSummary(totals), rest);
});

test("firstDifference() compares word by word when aligned and still finds the exact byte", () => {
  const raw = new Uint8Array(300);
  crypto.getRandomValues(raw);
  for (const [start, flip] of [[0, 0], [4, 101], [1, 3], [2, 250], [3, 37]]) {
    const expected = raw.subarray(start, start + 256);
    const copy = new Uint8Array(300);
    copy.set(raw);
    const actual = copy.subarray(start, start + 256);
    assert.equal(firstDifference(expected, actual), -1);
    actual[flip] ^= 0x10;
    assert.equal(firstDifference(expected, actual), flip, `start ${start}`);
  }
  // Different alignments fall back to bytes.
  const other = new Uint8Array(260);
  other.set(raw.subarray(0, 256), 1);
  other[1 + 77] ^= 1;
  assert.equal(firstDifference(raw.subarray(0, 256), other.subarray(1, 257)), 77);
});

test("firstDifferenceAt() agrees with firstDifference() on windows, short and long", () => {
  const expected = new Uint8Array(2000);
  crypto.getRandomValues(expected);
  for (const [start, length, flip] of [[0, 64, -1], [7, 64, 0], [100, 64, 63], [3, 1000, 517]]) {
    const actual = expected.slice(start, start + length);
    if (flip >= 0) actual[flip] ^= 0x40;
    const window = expected.subarray(start, start + length);
    assert.equal(firstDifferenceAt(expected, start, actual, length), flip);
    assert.equal(firstDifference(window, actual), flip);
  }
  // Only `length` bytes count: a difference beyond them is not seen.
  const actual = expected.slice(10, 30);
  actual[15] ^= 1;
  assert.equal(firstDifferenceAt(expected, 10, actual, 15), -1);
});

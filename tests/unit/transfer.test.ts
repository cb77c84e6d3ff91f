import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ackFrameHeader,
  bytesPerSecond,
  checkFileHeader,
  fileFrameHeader,
  parseAck,
  parseTransferTarget,
  receiveExitCode,
  type ReceiverAction,
  ReceiverMachine,
  type ReceiveSummary,
  roundMs,
  sendExitCode,
  sendOutcome,
  type SendSummary,
  transferAddressText,
  verifyReceived,
} from "../../lib/core/transfer.ts";
import {
  decodeFrames,
  encodeFrame,
  encodeFrameHead,
  FrameDecoder,
} from "../../lib/core/framing.ts";
import { InputError } from "../../lib/core/errors.ts";
import { concatBytes } from "../../lib/core/bytes.ts";

const HASH = "a".repeat(64);
const header = (over: Record<string, unknown> = {}) => ({
  name: "f.bin",
  size: 3,
  sha256: HASH,
  ...over,
});

test("checkFileHeader() accepts a well-formed header and lowercases the hash", () => {
  const check = checkFileHeader(header({ sha256: "A".repeat(64) }), 100);
  assert.deepEqual(check, { ok: true, file: { name: "f.bin", size: 3, sha256: HASH } });
});

test("checkFileHeader() refuses hostile names without closing (the body is skipped)", () => {
  for (const name of ["../x", "/etc/passwd", "a/../../b", "a\0b", "x".repeat(300), ".", ".."]) {
    const check = checkFileHeader(header({ name }), 100);
    assert.equal(check.ok, false, name);
    if (!check.ok) {
      assert.equal(check.fatal, false);
      assert.equal(check.name, name);
      assert.match(check.error, /^unsafe name: /);
    }
  }
});

test("checkFileHeader() refuses a file over the size limit as fatal", () => {
  const check = checkFileHeader(header({ size: 101 }), 100);
  assert.equal(check.ok, false);
  if (!check.ok) {
    assert.equal(check.fatal, true);
    assert.match(check.error, /too large: 101 bytes, at most 100/);
  }
});

test("checkFileHeader() refuses a missing name or a bad sha256 as malformed", () => {
  for (const bad of [{ name: 5 }, { sha256: "xyz" }, { sha256: undefined }, { size: -1 }]) {
    const check = checkFileHeader(header(bad), 100);
    assert.equal(check.ok, false);
    if (!check.ok) assert.match(check.error, /^malformed header/);
  }
});

test("a file frame round-trips through the framing protocol with size set from the body", () => {
  const body = new Uint8Array([1, 2, 3]);
  const [frame] = decodeFrames(
    encodeFrame(fileFrameHeader({ name: "f", size: 3, sha256: HASH }), body),
  );
  assert.deepEqual(frame.header, { name: "f", size: 3, sha256: HASH });
  assert.deepEqual([...frame.body], [1, 2, 3]);
});

test("ack frames round-trip and parseAck() rejects what is not an ack", () => {
  const ok =
    decodeFrames(encodeFrame(ackFrameHeader({ ok: true, name: "a" }), new Uint8Array()))[0];
  assert.deepEqual(parseAck(ok.header), { ok: true, name: "a" });
  const no = ackFrameHeader({ ok: false, name: "b", error: "already exists" });
  assert.deepEqual(parseAck(no), { ok: false, name: "b", error: "already exists" });
  assert.equal(parseAck({ size: 0, name: "a" }), undefined);
  assert.equal(parseAck({ size: 0, ok: "yes", name: "a" }), undefined);
  assert.equal(parseAck({ size: 0, ok: false, name: "a", error: 3 }), undefined);
});

test("verifyReceived() names a size mismatch before a hash mismatch", () => {
  const file = { name: "f", size: 3, sha256: HASH };
  assert.equal(verifyReceived(file, 3, HASH), undefined);
  assert.equal(verifyReceived(file, 3, HASH.toUpperCase()), undefined);
  assert.match(verifyReceived(file, 2, HASH)!, /^size mismatch: expected 3 bytes, received 2/);
  assert.match(
    verifyReceived(file, 3, "b".repeat(64))!,
    /^sha256 mismatch: expected a+, received b+/,
  );
});

/** Feeds the machine every event of `bytes` and returns the action types. */
function run(machine: ReceiverMachine, bytes: Uint8Array, refuseOnOpen?: string): ReceiverAction[] {
  const actions: ReceiverAction[] = [];
  for (const event of new FrameDecoder({ maxBodyBytes: 1e9 }).push(bytes)) {
    const action = machine.handle(event);
    actions.push(action);
    if (action.type === "open" && refuseOnOpen) actions.push(machine.refuse(refuseOnOpen));
  }
  return actions;
}

test("ReceiverMachine opens, writes and commits a file, then finishes cleanly", () => {
  const m = new ReceiverMachine(100);
  const actions = run(m, encodeFrame(header(), new Uint8Array([7, 8, 9])));
  assert.deepEqual(actions.map((a) => a.type), ["open", "write", "commit"]);
  const commit = actions[2];
  assert.equal(commit.type === "commit" && commit.received, 3);
  assert.equal(m.phase, "idle");
  assert.deepEqual(m.eof(), { type: "done" });
});

test("ReceiverMachine commits a 0-byte file without any write", () => {
  const m = new ReceiverMachine(100);
  const actions = run(m, encodeFrame(header({ size: 0 }), new Uint8Array()));
  assert.deepEqual(actions.map((a) => a.type), ["open", "commit"]);
});

test("ReceiverMachine skips a refused file's body and accepts the next file", () => {
  const m = new ReceiverMachine(100);
  const bytes = concatBytes([
    encodeFrame(header({ name: "../x" }), new Uint8Array([1, 2, 3])),
    encodeFrame(header({ name: "ok" }), new Uint8Array([4, 5, 6])),
  ]);
  const actions = run(m, bytes);
  assert.deepEqual(actions.map((a) => a.type), ["ack", "skip", "none", "open", "write", "commit"]);
  const ack = actions[0];
  assert.ok(ack.type === "ack" && !ack.ack.ok && ack.ack.name === "../x" && !ack.close);
});

test("ReceiverMachine answers an oversized file and closes without reading its body", () => {
  const m = new ReceiverMachine(2);
  const actions = run(m, encodeFrameHead(header({ size: 3 }), 3));
  assert.equal(actions.length, 1);
  const ack = actions[0];
  assert.ok(ack.type === "ack" && ack.close && /too large/.test(ack.ack.error!));
  assert.equal(m.phase, "closed");
  assert.deepEqual(m.handle({ type: "body", chunk: new Uint8Array(1) }), { type: "none" });
});

test("ReceiverMachine.refuse() after open turns the rest of the body into skips", () => {
  const m = new ReceiverMachine(100);
  const actions = run(m, encodeFrame(header(), new Uint8Array([1, 2, 3])), "already exists");
  assert.deepEqual(actions.map((a) => a.type), ["open", "ack", "skip", "none"]);
  const ack = actions[1];
  assert.ok(ack.type === "ack" && ack.ack.error === "already exists" && !ack.close);
});

test("ReceiverMachine aborts a file when the stream ends inside its body", () => {
  const m = new ReceiverMachine(100);
  const whole = encodeFrame(header({ size: 10 }), new Uint8Array(10));
  const actions = run(m, whole.subarray(0, whole.length - 4));
  assert.deepEqual(actions.map((a) => a.type), ["open", "write"]);
  assert.equal(m.received, 6);
  const end = m.eof("connection reset");
  assert.deepEqual(end, { type: "abort", name: "f.bin", reason: "connection reset" });
});

test("ReceiverMachine treats end of stream between files as a clean finish", () => {
  const m = new ReceiverMachine(100);
  assert.deepEqual(m.eof(), { type: "done" });
});

test("parseTransferTarget() reads HOST:PORT, [IPv6]:PORT, PORT and socket paths", () => {
  assert.deepEqual(parseTransferTarget("10.0.0.2:9009"), {
    transport: "tcp",
    host: "10.0.0.2",
    port: 9009,
  });
  assert.deepEqual(parseTransferTarget("[::1]:80"), { transport: "tcp", host: "::1", port: 80 });
  assert.deepEqual(parseTransferTarget("9009"), {
    transport: "tcp",
    host: "127.0.0.1",
    port: 9009,
  });
  assert.deepEqual(parseTransferTarget("files.example:1"), {
    transport: "tcp",
    host: "files.example",
    port: 1,
  });
  assert.deepEqual(parseTransferTarget("./r.sock"), { transport: "unix", path: "./r.sock" });
});

test("parseTransferTarget() rejects a missing or bad port with a usage error", () => {
  for (const bad of ["example.com", "::1", "host:0", "host:99999", "host:", ""]) {
    assert.throws(() => parseTransferTarget(bad), InputError, bad);
  }
});

test("sendExitCode() and receiveExitCode(): refused beats failed, all good is 0", () => {
  const s = (over: Partial<SendSummary>): SendSummary => ({
    address: "127.0.0.1",
    port: 9,
    family: 4,
    total: 2,
    verified: 2,
    refused: 0,
    failed: 0,
    bytes: 0,
    durationMs: 0,
    bytesPerSecond: 0,
    ...over,
  } as SendSummary);
  assert.equal(sendExitCode(s({})), 0);
  assert.equal(sendExitCode(s({ verified: 0, refused: 1, failed: 1 })), 1);
  assert.equal(sendExitCode(s({ verified: 1, failed: 1 })), 3);
  const r = (over: Partial<ReceiveSummary>): ReceiveSummary => ({
    path: "/run/r.sock",
    dir: "d",
    senders: 1,
    total: 1,
    saved: 1,
    refused: 0,
    failed: 0,
    bytes: 0,
    durationMs: 0,
    stopped: false,
    ...over,
  } as ReceiveSummary);
  assert.equal(receiveExitCode(r({})), 0);
  assert.equal(receiveExitCode(r({ refused: 1 })), 1);
  assert.equal(receiveExitCode(r({ failed: 1 })), 3);
});

test("receiveExitCode() is 0 for a stopped receiver, whatever it saw (a server's normal end)", () => {
  const r = {
    path: "/run/r.sock",
    dir: "d",
    senders: 2,
    total: 2,
    saved: 0,
    refused: 1,
    failed: 1,
    bytes: 0,
    durationMs: 5,
    stopped: true,
  };
  assert.equal(receiveExitCode(r), 0);
  assert.equal(receiveExitCode({ ...r, stopped: false }), 1);
});

test("bytesPerSecond() is whole bytes per second over milliseconds, 0 for no time", () => {
  assert.equal(bytesPerSecond(10_000_000, 2000), 5_000_000);
  assert.equal(bytesPerSecond(10, 3), 3333);
  assert.equal(bytesPerSecond(5, 0), 0);
  assert.equal(roundMs(1.23456789), 1.235);
});

test("transferAddressText() writes IPv4, bracketed IPv6, socket paths and unnamed clients", () => {
  assert.equal(
    transferAddressText({ address: "127.0.0.1", port: 9009, family: 4 }),
    "127.0.0.1:9009",
  );
  assert.equal(transferAddressText({ address: "::1", port: 9009, family: 6 }), "[::1]:9009");
  assert.equal(transferAddressText({ path: "/run/r.sock" }), "/run/r.sock");
  assert.equal(transferAddressText({ path: "" }), "a unix client");
});

test("ack frames carry failed only when set, and parseAck() keeps it for refusals only", () => {
  const failed = ackFrameHeader({ ok: false, name: "f", error: "cannot write", failed: true });
  assert.deepEqual(failed, { size: 0, ok: false, name: "f", error: "cannot write", failed: true });
  assert.deepEqual(parseAck(failed), { ok: false, name: "f", error: "cannot write", failed: true });
  assert.deepEqual(ackFrameHeader({ ok: false, name: "f", error: "no", failed: false }), {
    size: 0,
    ok: false,
    name: "f",
    error: "no",
  });
  assert.deepEqual(parseAck({ size: 0, ok: true, name: "f", failed: true }), {
    ok: true,
    name: "f",
  });
  assert.equal(parseAck({ size: 0, ok: false, name: "f", failed: "yes" }), undefined);
});

test("ReceiverMachine.eof() inside a file says how many of how many bytes arrived", () => {
  const m = new ReceiverMachine(100);
  const whole = encodeFrame(header({ size: 10 }), new Uint8Array(10));
  run(m, whole.subarray(0, whole.length - 7));
  assert.equal(m.receiving, "f.bin");
  assert.deepEqual(m.eof(), {
    type: "abort",
    name: "f.bin",
    reason: "connection closed after 3 of 10 bytes",
  });
  assert.equal(m.receiving, "");
});

test("ReceiverMachine.refuse() with failed marks the answer as an operational failure", () => {
  const m = new ReceiverMachine(100);
  run(m, encodeFrameHead(header(), 3));
  assert.deepEqual(m.refuse("cannot write: no space left on device (ENOSPC)", true), {
    type: "ack",
    ack: {
      ok: false,
      name: "f.bin",
      error: "cannot write: no space left on device (ENOSPC)",
      failed: true,
    },
    close: false,
  });
});

test("sendOutcome() tells verified, refused and failed apart, failed answers included", () => {
  const ok = { ok: true, name: "f" };
  assert.deepEqual(sendOutcome({ ack: ok, sent: true }), { status: "verified" });
  assert.deepEqual(
    sendOutcome({ ack: { ok: false, name: "f", error: "already exists" }, sent: true }),
    {
      status: "refused",
      error: "already exists",
    },
  );
  assert.deepEqual(
    sendOutcome({
      ack: { ok: false, name: "f", error: "cannot write: disk", failed: true },
      sent: true,
    }),
    { status: "failed", error: "cannot write: disk" },
  );
  assert.deepEqual(sendOutcome({ ack: null, sent: true, failure: "connection reset" }), {
    status: "failed",
    error: "connection reset",
  });
  assert.deepEqual(sendOutcome({ ack: null, sent: false, failure: "the receiver closed" }), {
    status: "failed",
    error: "not sent: the receiver closed",
  });
});

test("sendOutcome() reports a file send could not finish with the receiver's count added", () => {
  const local = 'cannot send "big": the file shrank while it was sent, after 5 of 9 bytes';
  const cut = {
    ok: false,
    name: "big",
    error: "connection closed after 5 of 9 bytes",
    failed: true,
  };
  assert.deepEqual(sendOutcome({ ack: cut, sent: true, localError: local }), {
    status: "failed",
    error: `${local}; the receiver: connection closed after 5 of 9 bytes`,
  });
  assert.deepEqual(sendOutcome({ ack: null, sent: true, localError: local }), {
    status: "failed",
    error: `${local}; the receiver did not answer`,
  });
  assert.deepEqual(sendOutcome({ ack: null, sent: false, localError: "cannot read" }), {
    status: "failed",
    error: "cannot read",
  });
});

/**
 * Version 2 of the transfer protocol in the pure state machine (lib/core/transfer.ts): the
 * hello and its answer, the trailer form of a file (its SHA-256 in a frame after the body), and
 * what a receiver does with a trailer that is missing, malformed or late; version 1 frames still
 * accepted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  decodeFrames,
  encodeFrame,
  encodeFrameHead,
  type FrameEvent,
} from "../../lib/core/framing.ts";
import {
  agreedVersion,
  checkFileHeader,
  checkTrailer,
  fileFrameHeader,
  helloFrameHeader,
  parseAck,
  type ReceiverAction,
  ReceiverMachine,
  trailerFrameHeader,
} from "../../lib/core/transfer.ts";

const HASH = "ab".repeat(32);
const header = (h: Record<string, unknown>): FrameEvent => ({
  type: "header",
  header: { size: 0, ...h },
});
const body = (n: number): FrameEvent => ({ type: "body", chunk: new Uint8Array(n) });
const END: FrameEvent = { type: "end" };

/** Feeds events in order, returning the actions. */
function run(machine: ReceiverMachine, events: FrameEvent[]): ReceiverAction[] {
  return events.map((e) => machine.handle(e));
}

test("a trailer-form file commits only at its trailer's end, with the trailer's hash", () => {
  const m = new ReceiverMachine(1000);
  const actions = run(m, [
    header({ name: "a.bin", size: 5, trailer: "sha256" }),
    body(5),
    END,
  ]);
  assert.deepEqual(actions.map((a) => a.type), ["open", "write", "none"]);
  assert.equal(m.receiving, "a.bin", "still inside the file until its trailer");
  assert.equal(m.handle(header({ sha256: HASH.toUpperCase() })).type, "none");
  const commit = m.handle(END);
  assert.deepEqual(commit, {
    type: "commit",
    file: { name: "a.bin", size: 5, sha256: HASH },
    received: 5,
  });
  assert.equal(m.phase, "idle");
});

test("a version 1 file (hash in the header) still commits at its frame's end", () => {
  const m = new ReceiverMachine(1000);
  const actions = run(m, [header({ name: "old.bin", size: 3, sha256: HASH }), body(3), END]);
  assert.deepEqual(actions.at(-1), {
    type: "commit",
    file: { name: "old.bin", size: 3, sha256: HASH },
    received: 3,
  });
});

test("a malformed trailer aborts the file as a protocol error and ends the connection", () => {
  for (
    const bad of [
      { sha256: "nothex" },
      {},
      { sha256: HASH, size: 4 },
      { name: "next.bin", size: 1, sha256: HASH },
    ]
  ) {
    const m = new ReceiverMachine(1000);
    run(m, [header({ name: "a.bin", size: 2, trailer: "sha256" }), body(2), END]);
    const action = m.handle(header(bad));
    assert.equal(action.type, "abort", JSON.stringify(bad));
    assert.ok(action.type === "abort" && /^protocol error: /.test(action.reason));
    assert.equal(m.phase, "closed");
  }
});

test("end of stream between a body and its trailer aborts: the file is not saved", () => {
  const m = new ReceiverMachine(1000);
  run(m, [header({ name: "a.bin", size: 4, trailer: "sha256" }), body(4), END]);
  assert.deepEqual(m.eof(), {
    type: "abort",
    name: "a.bin",
    reason: "connection closed after all 4 bytes, before their sha256 trailer",
  });
});

test("end of stream inside a trailer-form body says how many of how many bytes arrived", () => {
  const m = new ReceiverMachine(1000);
  run(m, [header({ name: "a.bin", size: 1000, trailer: "sha256" }), body(300)]);
  assert.deepEqual(m.eof(), {
    type: "abort",
    name: "a.bin",
    reason: "connection closed after 300 of 1000 bytes",
  });
});

test("a refused trailer-form file has its body and trailer skipped; the next file follows", () => {
  const m = new ReceiverMachine(1000);
  const refused = m.handle(header({ name: "../x", size: 2, trailer: "sha256" }));
  assert.ok(refused.type === "ack" && !refused.close && /unsafe name/.test(refused.ack.error!));
  const rest = run(m, [body(2), END, header({ sha256: HASH }), END]);
  assert.deepEqual(rest.map((a) => a.type), ["skip", "none", "none", "none"]);
  assert.equal(m.phase, "idle");
  assert.equal(m.handle(header({ name: "ok.bin", size: 0, trailer: "sha256" })).type, "open");
});

test("refuse() inside a trailer-form body still expects (and drops) the trailer", () => {
  const m = new ReceiverMachine(1000);
  run(m, [header({ name: "a.bin", size: 4, trailer: "sha256" }), body(2)]);
  assert.equal(m.refuse("cannot write: disk full", true).type, "ack");
  const rest = run(m, [body(2), END, header({ sha256: HASH }), END]);
  assert.deepEqual(rest.map((a) => a.type), ["skip", "none", "none", "none"]);
  assert.equal(m.phase, "idle");
});

test("a hello as the first frame is answered with the versions taken; later it is an error", () => {
  const m = new ReceiverMachine(1000);
  assert.deepEqual(m.handle(header(helloFrameHeader())), {
    type: "greet",
    ack: { ok: true, name: "", versions: [1, 2] },
  });
  assert.equal(m.handle(END).type, "none");
  run(m, [header({ name: "a", size: 0, sha256: HASH }), END]);
  const late = m.handle(header(helloFrameHeader()));
  assert.ok(
    late.type === "ack" && late.close && /hello after the first frame/.test(late.ack.error!),
  );
});

test("checkFileHeader() takes either a sha256 or a trailer announcement, never both", () => {
  assert.deepEqual(checkFileHeader({ name: "a", size: 1, trailer: "sha256" }, 10), {
    ok: true,
    file: { name: "a", size: 1 },
  });
  for (const h of [{ trailer: "sha256", sha256: HASH }, { trailer: "md5" }, {}]) {
    const check = checkFileHeader({ name: "a", size: 1, ...h }, 10);
    assert.ok(!check.ok && check.fatal && /^malformed header/.test(check.error), JSON.stringify(h));
  }
  assert.deepEqual(checkTrailer({ size: 0, sha256: HASH }), { sha256: HASH });
  assert.ok("error" in checkTrailer({ size: 1, sha256: HASH }));
});

test("the frames a version 2 sender writes decode to a hello, a trailer-form header and a trailer", () => {
  const bytes = [
    encodeFrame(helloFrameHeader(), new Uint8Array()),
    encodeFrameHead(fileFrameHeader({ name: "a", size: 2 }), 2),
    Uint8Array.of(1, 2),
    encodeFrame(trailerFrameHeader(HASH), new Uint8Array()),
  ];
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) all.set(b, (at += b.length) - b.length);
  assert.deepEqual(decodeFrames(all).map((f) => f.header), [
    { size: 0, hello: "netdiag-transfer", versions: [1, 2] },
    { name: "a", size: 2, trailer: "sha256" },
    { size: 0, sha256: HASH },
  ]);
});

test("agreedVersion(): 2 only when the hello's answer lists it; an old receiver's refusal is none", () => {
  assert.equal(agreedVersion(parseAck({ ok: true, name: "", versions: [1, 2] })!), 2);
  assert.equal(agreedVersion(parseAck({ ok: true, name: "", versions: [1, 2, 7] })!), 2);
  assert.equal(agreedVersion(parseAck({ ok: true, name: "", versions: [1] })!), 1);
  const old = parseAck({ ok: false, name: "", error: "malformed header: no file name" })!;
  assert.equal(agreedVersion(old), undefined);
  assert.equal(agreedVersion(parseAck({ ok: true, name: "" })!), undefined);
  assert.equal(agreedVersion(null), undefined);
});

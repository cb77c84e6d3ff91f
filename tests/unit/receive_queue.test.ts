import { test } from "node:test";
import assert from "node:assert/strict";
import { ReceiveQueue } from "../../lib/net/receive_queue.ts";
import { NetError, RECEIVE_HIGH_WATER } from "../../lib/net/types.ts";

function flow() {
  const calls: string[] = [];
  return { calls, pause: () => calls.push("pause"), resume: () => calls.push("resume") };
}

test("ReceiveQueue read() splits and joins chunks in order; readChunk() hands a chunk over", async () => {
  const q = new ReceiveQueue(flow());
  q.push(new Uint8Array([1, 2, 3]));
  q.push(new Uint8Array([4, 5]));
  const buffer = new Uint8Array(4);
  assert.equal(await q.read(buffer), 4);
  assert.deepEqual([...buffer], [1, 2, 3, 4]);
  assert.deepEqual([...(await q.readChunk())!], [5]);
  q.end();
  assert.equal(await q.read(buffer), null);
  assert.equal(await q.readChunk(), null);
});

test("ReceiveQueue pauses its socket at RECEIVE_HIGH_WATER unread and resumes once read below it", async () => {
  assert.ok(RECEIVE_HIGH_WATER <= 256 * 1024, "a never-reading peer costs little");
  const f = flow();
  const q = new ReceiveQueue(f);
  const half = RECEIVE_HIGH_WATER / 2 + 100;
  q.push(new Uint8Array(half));
  assert.deepEqual(f.calls, []);
  assert.equal(q.queued, half);
  q.push(new Uint8Array(half));
  q.push(new Uint8Array(10));
  assert.deepEqual(f.calls, ["pause"], "paused once");
  assert.equal(q.queued, 2 * half + 10);
  await q.readChunk();
  assert.deepEqual(f.calls, ["pause", "resume"]);
  assert.equal(q.queued, half + 10);
});

test("ReceiveQueue delivers queued bytes before a failure, then rejects with it", async () => {
  const q = new ReceiveQueue(flow());
  const reading = q.readChunk();
  q.push(new Uint8Array([9]));
  assert.deepEqual([...(await reading)!], [9], "a waiting read wakes for data");
  q.push(new Uint8Array([7]));
  q.end(new NetError("ECONNRESET", "read", "127.0.0.1:1"));
  assert.deepEqual([...(await q.readChunk())!], [7]);
  await assert.rejects(q.readChunk(), (e: unknown) => (e as NetError).code === "ECONNRESET");
});

test("ReceiveQueue after close(): queued bytes still read, nothing new queued, then null", async () => {
  const q = new ReceiveQueue(flow());
  q.push(new Uint8Array([1]));
  const waiting = new ReceiveQueue(flow());
  const pending = waiting.readChunk();
  waiting.close();
  assert.equal(await pending, null, "a waiting read ends at close");
  q.close();
  q.push(new Uint8Array([2]));
  assert.deepEqual([...(await q.readChunk())!], [1]);
  assert.equal(await q.readChunk(), null);
});

test("ReceiveQueue settles a waiting read() with the bytes pushed, and a waiting read with a failure", async () => {
  const q = new ReceiveQueue(flow());
  const buffer = new Uint8Array(2);
  const reading = q.read(buffer);
  q.push(new Uint8Array([4, 5, 6]));
  assert.equal(await reading, 2, "as many as fit");
  assert.deepEqual([...buffer], [4, 5]);
  assert.deepEqual([...(await q.readChunk())!], [6], "the rest stays queued");
  const failing = q.read(buffer);
  q.end(new NetError("ECONNRESET", "read", "127.0.0.1:1"));
  await assert.rejects(failing, (e: unknown) => (e as NetError).code === "ECONNRESET");
});

test("ReceiveQueue hold() pauses however little is queued, and lets go only below the high-water mark", async () => {
  const f = flow();
  const q = new ReceiveQueue(f);
  q.push(new Uint8Array(10));
  q.hold(true);
  assert.deepEqual(f.calls, ["pause"], "held with 10 bytes queued");
  q.hold(true);
  await q.readChunk();
  assert.deepEqual(f.calls, ["pause"], "reading does not resume a held socket");
  q.hold(false);
  assert.deepEqual(f.calls, ["pause", "resume"]);
  q.push(new Uint8Array(RECEIVE_HIGH_WATER));
  q.hold(true);
  q.hold(false);
  assert.deepEqual(f.calls, ["pause", "resume", "pause"], "still paused: too much unread");
  await q.readChunk();
  assert.deepEqual(f.calls, ["pause", "resume", "pause", "resume"]);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decodeFrames,
  DEFAULT_FRAME_LIMITS,
  encodeFrame,
  encodeFrameHead,
  FrameCollector,
  FrameDecoder,
  FrameError,
  type FrameEvent,
} from "../../lib/core/framing.ts";
import { OperationalError } from "../../lib/core/errors.ts";
import { concatBytes } from "../../lib/core/bytes.ts";

const enc = new TextEncoder();

/** A raw frame from a header byte string and a body. */
function rawFrame(headerBytes: Uint8Array, body: Uint8Array = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(4 + headerBytes.length + body.length);
  new DataView(out.buffer).setUint32(0, headerBytes.length, false);
  out.set(headerBytes, 4);
  out.set(body, 4 + headerBytes.length);
  return out;
}

/** Decodes `bytes` pushed in the pieces cut at `cuts`; returns normalised whole frames. */
function decodeInPieces(bytes: Uint8Array, cuts: number[]) {
  const decoder = new FrameDecoder();
  const events: FrameEvent[] = [];
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    // Copy each piece so views of it stay valid, as a reader reusing its buffer must.
    for (const e of decoder.push(bytes.slice(prev, cut))) events.push(e);
    prev = cut;
  }
  assert.equal(decoder.midFrame, false);
  decoder.finish();
  return framesFromEvents(events);
}

function framesFromEvents(events: FrameEvent[]) {
  const frames: { header: Record<string, unknown>; body: number[] }[] = [];
  let current: { header: Record<string, unknown>; body: number[] } | undefined;
  for (const e of events) {
    if (e.type === "header") {
      assert.equal(current, undefined, "header inside a frame");
      current = { header: e.header, body: [] };
    } else if (e.type === "body") {
      assert.ok(current, "body outside a frame");
      assert.ok(e.chunk.length > 0, "empty body chunk");
      current.body.push(...e.chunk);
    } else {
      assert.ok(current, "end outside a frame");
      assert.equal(current.body.length, current.header.size);
      frames.push(current);
      current = undefined;
    }
  }
  assert.equal(current, undefined, "unfinished frame");
  return frames;
}

const frameArb = fc.record({
  header: fc.dictionary(
    fc.string({ maxLength: 8 }).filter((k) => k !== "size" && k !== "__proto__"),
    fc.oneof(fc.string({ unit: "binary", maxLength: 10 }), fc.integer(), fc.boolean()),
    { maxKeys: 3 },
  ),
  body: fc.uint8Array({ maxLength: 64 }),
});

test("encodeFrame() writes a big-endian header length, the JSON header and the body", () => {
  const bytes = encodeFrame({ seq: 1 }, enc.encode("hi"));
  const json = '{"seq":1,"size":2}';
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 0, json.length]);
  assert.equal(new TextDecoder().decode(bytes.subarray(4, 4 + json.length)), json);
  assert.deepEqual([...bytes.subarray(4 + json.length)], [104, 105]);
});

test("encodeFrameHead() sets size to the body length, overriding a given size", () => {
  const head = encodeFrameHead({ size: 99, name: "x" }, 2 ** 40);
  const decoder = new FrameDecoder({ maxBodyBytes: 2 ** 50 });
  const events = decoder.push(head);
  assert.deepEqual(events, [{ type: "header", header: { size: 2 ** 40, name: "x" } }]);
  assert.equal(decoder.midFrame, true);
});

test("encodeFrameHead() rejects a negative or fractional body length", () => {
  assert.throws(() => encodeFrameHead({}, -1), RangeError);
  assert.throws(() => encodeFrameHead({}, 1.5), RangeError);
});

test("FrameDecoder emits header and end for an empty body", () => {
  const events = new FrameDecoder().push(encodeFrame({ a: 1 }, new Uint8Array()));
  assert.deepEqual(events, [{ type: "header", header: { a: 1, size: 0 } }, { type: "end" }]);
});

test("FrameDecoder streams a body in the pieces it arrives in, without buffering it", () => {
  const body = new Uint8Array(1000).map((_, i) => i % 251);
  const bytes = encodeFrame({}, body);
  const decoder = new FrameDecoder();
  const head = bytes.length - body.length;
  const first = decoder.push(bytes.subarray(0, head + 10));
  assert.equal(first.length, 2);
  assert.equal(first[1].type, "body");
  assert.equal((first[1] as { chunk: Uint8Array }).chunk.length, 10);
  const rest = decoder.push(bytes.subarray(head + 10));
  assert.deepEqual(rest.map((e) => e.type), ["body", "end"]);
  assert.equal((rest[0] as { chunk: Uint8Array }).chunk.length, 990);
  // The body chunk is a view of the pushed bytes, not a copy.
  assert.equal((rest[0] as { chunk: Uint8Array }).chunk.buffer, bytes.buffer);
});

test("FrameDecoder decodes a frame stream identically when cut at every possible point", () => {
  const frames = [
    encodeFrame({ n: 1 }, enc.encode("hello")),
    encodeFrame({}, new Uint8Array()),
    encodeFrame({ n: "é✓" }, new Uint8Array([0, 255, 10, 13])),
  ];
  const bytes = concatBytes(frames);
  const whole = decodeInPieces(bytes, []);
  assert.equal(whole.length, 3);
  for (let a = 0; a <= bytes.length; a++) {
    assert.deepEqual(decodeInPieces(bytes, [a]), whole, `cut at ${a}`);
    for (let b = a; b <= bytes.length; b += 3) {
      assert.deepEqual(decodeInPieces(bytes, [a, b]), whole, `cuts at ${a}, ${b}`);
    }
  }
  // Byte by byte.
  assert.deepEqual(decodeInPieces(bytes, [...bytes.keys()].slice(1)), whole);
});

test("FrameDecoder decodes random frames identically under random splits and coalescing", () => {
  fc.assert(
    fc.property(
      fc.array(frameArb, { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (frames, rawCuts) => {
        const bytes = concatBytes(frames.map((f) => encodeFrame(f.header, f.body)));
        const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((x, y) => x - y);
        const decoded = decodeInPieces(bytes, cuts);
        assert.equal(decoded.length, frames.length);
        decoded.forEach((d, i) => {
          assert.deepEqual(d.header, { ...frames[i].header, size: frames[i].body.length });
          assert.deepEqual(d.body, [...frames[i].body]);
        });
      },
    ),
    { numRuns: 300 },
  );
});

test("every cut of a random frame stream decodes to the same frames", () => {
  fc.assert(
    fc.property(fc.array(frameArb, { minLength: 1, maxLength: 3 }), (frames) => {
      const bytes = concatBytes(frames.map((f) => encodeFrame(f.header, f.body)));
      const whole = decodeInPieces(bytes, []);
      for (let cut = 0; cut <= bytes.length; cut++) {
        assert.deepEqual(decodeInPieces(bytes, [cut]), whole);
      }
    }),
    { numRuns: 50 },
  );
});

test("decodeFrames() returns whole frames with copied bodies", () => {
  const bytes = concatBytes([
    encodeFrame({ a: 1 }, enc.encode("xy")),
    encodeFrame({}, enc.encode("z")),
  ]);
  const frames = decodeFrames(bytes);
  assert.deepEqual(frames.map((f) => f.header), [{ a: 1, size: 2 }, { size: 1 }]);
  assert.deepEqual(frames.map((f) => new TextDecoder().decode(f.body)), ["xy", "z"]);
});

test("FrameCollector returns frames as they complete across pushes", () => {
  const bytes = encodeFrame({ k: "v" }, enc.encode("abc"));
  const collector = new FrameCollector();
  assert.deepEqual(collector.push(bytes.subarray(0, 7)), []);
  assert.equal(collector.midFrame, true);
  const frames = collector.push(bytes.subarray(7));
  assert.equal(frames.length, 1);
  assert.equal(new TextDecoder().decode(frames[0].body), "abc");
  assert.equal(collector.midFrame, false);
});

function assertFrameError(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FrameError, `expected FrameError, got ${error}`);
    assert.ok(error instanceof OperationalError);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

test("FrameDecoder rejects a header longer than the limit from the prefix alone", () => {
  const prefix = new Uint8Array([0, 0, 0x10, 0x01]); // 4097
  assertFrameError(
    () => new FrameDecoder({ maxHeaderBytes: 4096 }).push(prefix),
    "header-too-large",
    /frame header too large: 4097 bytes, limit 4096/,
  );
  assertFrameError(
    () => new FrameDecoder().push(new Uint8Array([0xff, 0xff, 0xff, 0xff])),
    "header-too-large",
    new RegExp(`limit ${DEFAULT_FRAME_LIMITS.maxHeaderBytes}`),
  );
});

test("FrameDecoder rejects a body larger than the limit at the header", () => {
  const head = encodeFrameHead({}, 1001);
  assertFrameError(
    () => new FrameDecoder({ maxBodyBytes: 1000 }).push(head),
    "body-too-large",
    /frame body too large: 1001 bytes, limit 1000/,
  );
});

test("FrameDecoder rejects a header that is not a JSON object", () => {
  for (const text of ["[1]", "null", "42", '"size"', "true"]) {
    assertFrameError(
      () => new FrameDecoder().push(rawFrame(enc.encode(text))),
      "not-object",
      /expected a JSON object/,
    );
  }
});

test("FrameDecoder rejects malformed JSON and an empty header", () => {
  assertFrameError(
    () => new FrameDecoder().push(rawFrame(enc.encode('{"size":1'))),
    "bad-json",
    /not JSON/,
  );
  assertFrameError(() => new FrameDecoder().push(rawFrame(new Uint8Array())), "bad-json", /empty/);
});

test("FrameDecoder rejects a header that is not valid UTF-8", () => {
  const bytes = rawFrame(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
  assertFrameError(() => new FrameDecoder().push(bytes), "bad-utf8", /not valid UTF-8/);
});

test("FrameDecoder rejects a missing, negative, fractional or non-number size", () => {
  for (const text of ["{}", '{"size":-1}', '{"size":1.5}', '{"size":"3"}', '{"size":1e300}']) {
    assertFrameError(
      () => new FrameDecoder().push(rawFrame(enc.encode(text))),
      "bad-size",
      /"size" must be a non-negative integer/,
    );
  }
});

test("FrameDecoder stays failed after a protocol error", () => {
  const decoder = new FrameDecoder();
  assert.throws(() => decoder.push(rawFrame(enc.encode("[]"))), FrameError);
  assert.throws(() => decoder.push(encodeFrame({}, new Uint8Array())), FrameError);
});

test("finish() reports a stream that ends inside a frame", () => {
  const bytes = encodeFrame({}, enc.encode("abcdef"));
  const decoder = new FrameDecoder();
  decoder.push(bytes.subarray(0, bytes.length - 2));
  assert.equal(decoder.midFrame, true);
  assertFrameError(() => decoder.finish(), "truncated", /after 4 of 6 body bytes/);
  assertFrameError(() => decodeFrames(bytes.subarray(0, 2)), "truncated", /2 of 4 length-prefix/);
  assertFrameError(() => decodeFrames(bytes.subarray(0, 6)), "truncated", /header bytes/);
});

test("random garbage either decodes or throws FrameError, never anything else", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        decodeFrames(bytes, { maxHeaderBytes: 64, maxBodyBytes: 64 });
      } catch (error) {
        assert.ok(error instanceof FrameError, String(error));
      }
    }),
    { numRuns: 500 },
  );
});

test("pushInto() keeps the frames decoded before a bad one", () => {
  const good = encodeFrame({ n: 1 }, enc.encode("ok"));
  const events: FrameEvent[] = [];
  assert.throws(
    () =>
      new FrameDecoder({ maxBodyBytes: 10 }).pushInto(
        concatBytes([good, encodeFrameHead({}, 11)]),
        events,
      ),
    FrameError,
  );
  assert.deepEqual(events.map((e) => e.type), ["header", "body", "end"]);
});

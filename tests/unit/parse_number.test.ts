import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InputError, quote } from "../../lib/core/errors.ts";
import { parseDuration } from "../../lib/core/parse_duration.ts";
import { numberProblem, parseCount, parseInteger } from "../../lib/core/parse_number.ts";
import { parseByteSize } from "../../lib/core/parse_size.ts";
import { rawControl } from "../support/output_checks.ts";

/** The value parsers, each with the range of one real flag, and whether it takes only integers. */
const PARSERS: [string, (text: string) => number, boolean][] = [
  ["parseInteger", (t) => parseInteger(t, { max: 65535, what: "port" }), true],
  ["parseCount", (t) => parseCount(t, "count"), true],
  ["parseByteSize", (t) => parseByteSize(t, { what: "max size", min: 1, max: 2 ** 32 }), false],
  ["parseDuration", (t) => parseDuration(t, { what: "timeout" }), false],
];

/** The message of the InputError `fn(text)` throws. */
function messageOf(fn: (text: string) => number, text: string): string {
  try {
    fn(text);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.message;
  }
  assert.fail(`${JSON.stringify(text)} was accepted`);
}

for (const [name, parse, whole] of PARSERS) {
  test(`${name}() says an infinite number is not finite and quotes it as typed`, () => {
    for (const text of ["1e400", "Infinity", "-1e999", "1e400s", "1e400k"]) {
      const message = messageOf(parse, text);
      assert.ok(message.includes(quote(text)), message);
      assert.match(message, /: not a finite number; expected /);
      assert.ok(!message.includes("null"), message);
    }
    const huge = "9".repeat(400);
    assert.ok(messageOf(parse, huge).includes(`${quote(huge)} is out of range: expected `));
  });

  test(`${name}() says why it refuses any number JavaScript reads, quoting it as typed`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double().map(String),
          fc.tuple(fc.bigInt(), fc.integer({ min: -999, max: 999 })).map(([m, e]) => `${m}e${e}`),
          fc.constantFrom("-0", "+7", "1.5", "-1.5e-7", "Infinity", "-Infinity"),
        ),
        (text) => {
          let value: number;
          try {
            value = parse(text);
          } catch (error) {
            assert.ok(error instanceof InputError, String(error));
            assert.ok(error.message.includes(quote(text)), error.message);
            assert.equal(rawControl(error.message), undefined, error.message);
            const why = numberProblem(text, whole) ?? "is out of range";
            assert.ok(error.message.includes(why), `${error.message} (expected ${why})`);
            if (!Number.isFinite(Number(text))) assert.match(error.message, /not a finite number/);
            return;
          }
          assert.ok(Number.isSafeInteger(value), `${JSON.stringify(text)} gave ${value}`);
        },
      ),
      { numRuns: 1000, seed: 20261129 },
    );
  });
}

test("numberProblem() names what is wrong with numeric-looking text", () => {
  assert.equal(numberProblem("1e400"), "not a finite number");
  assert.equal(numberProblem("-Infinity"), "not a finite number");
  assert.equal(numberProblem("NaN"), "not a finite number");
  assert.equal(numberProblem("-3"), "negative");
  assert.equal(numberProblem("1e3"), "exponent notation is not accepted");
  assert.equal(numberProblem("+3"), "a sign is not accepted");
  assert.equal(numberProblem("1.5", true), "not a whole number");
  assert.equal(numberProblem("1.5"), undefined);
  assert.equal(numberProblem("abc"), undefined);
  assert.equal(numberProblem("nanoseconds"), undefined);
  assert.equal(numberProblem("5 parsecs"), undefined);
});

test("a refused count says why before what is expected", () => {
  assert.equal(
    messageOf((t) => parseCount(t, "count"), "1.5"),
    'invalid count "1.5": not a whole number; expected a whole number from 1 to 1000000000',
  );
  assert.equal(
    messageOf((t) => parseByteSize(t), "-1"),
    'invalid size "-1": negative; expected a byte count such as "512", "64k", "16M" or "1G"',
  );
});

/**
 * Property test: netdiag's inet_aton / inet_pton / inet_ntoa / inet_ntop and bytes literal agree
 * with CPython's `socket` module (glibc underneath) on thousands of random and edge-case inputs.
 * Python runs once, with every input as JSON on stdin. NETDIAG_FC_SEED replays a failing run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import fc from "fast-check";
import { pythonBytesLiteral, toHex } from "../../lib/core/hex_bytes.ts";
import { inetAton } from "../../lib/core/inet_aton.ts";
import { inetNtop4, inetNtop6 } from "../../lib/core/inet_ntop.ts";
import { inetPton4, inetPton6 } from "../../lib/core/inet_pton.ts";

const SEED = Number(process.env.NETDIAG_FC_SEED ?? Date.now() % 2 ** 31);

// ---- generators -----------------------------------------------------------------------------

/** Numbers near the limits inet_aton checks: byte, 16/24/32-bit parts, overflow. */
const partValue = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 255 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(0, 1, 7, 8, 9, 255, 256, 0xffff, 0x10000, 0xffffff, 0x1000000),
  },
  { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 0x100000000, 2 ** 53) },
  { weight: 1, arbitrary: fc.constantFrom(18446744073709551615n, 18446744073709551616n) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);

/** A number written as C's strtoul(…, 0) reads it, sometimes with stray leading zeros. */
const cNumber = fc.tuple(partValue, fc.constantFrom("dec", "oct", "hex", "HEX"), fc.nat(3)).map(
  ([v, base, zeros]) => {
    const n = BigInt(v);
    if (base === "dec") return n.toString(10);
    if (base === "oct") return "0".repeat(zeros + 1) + n.toString(8);
    const digits = "0".repeat(zeros) + n.toString(16);
    return base === "hex" ? "0x" + digits : "0X" + digits.toUpperCase();
  },
);

const brokenPart = fc.constantFrom(
  "",
  "0x",
  "0X",
  "08",
  "09",
  "019",
  "0xg",
  "1a",
  "-1",
  "+1",
  " 1",
  "0x-1",
  "0b1",
  "1e3",
  "٣",
  "１",
);

const whitespace = fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u2028");
const garbage = fc.string({ maxLength: 6 });
const trailer = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.tuple(whitespace, garbage).map(([w, g]) => w + g) },
  { weight: 1, arbitrary: fc.constantFrom(".", "x", "\0", "é", ":", "/8", "..") },
);

/** Dotted strings with 0..6 parts, mostly well-formed parts in random bases. */
const partCount = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 4, arbitrary: fc.constant(4) },
  { weight: 1, arbitrary: fc.constantFrom(0, 5, 6) },
);
const dotted = fc.tuple(
  partCount.chain((n) =>
    fc.array(fc.oneof({ weight: 12, arbitrary: cNumber }, { weight: 1, arbitrary: brokenPart }), {
      minLength: n,
      maxLength: n,
    })
  ),
  fc.oneof({ weight: 10, arbitrary: fc.constant("") }, fc.constantFrom(" ", "\t", "0")),
  trailer,
).map(([parts, lead, trail]) => lead + parts.join(".") + trail);

/** Strict dotted quads and near misses (leading zeros, 256, 3 or 5 octets). */
const quadOctet = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 255 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("00", "01", "007", "256", "999", "1000", "") },
);
const dottedQuad = fc.oneof(
  { weight: 5, arbitrary: fc.constant(4) },
  { weight: 1, arbitrary: fc.constantFrom(3, 5) },
).chain((n) => fc.array(quadOctet, { minLength: n, maxLength: n }).map((p) => p.join(".")));

const soup = (alphabet: string, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((a) => a.join(""));

/** Words biased towards zero runs, the case inet_ntop compresses. */
const word = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constant(0xffff) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 0xff }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
);
const words8 = fc.array(word, { minLength: 8, maxLength: 8 });

function wordsToBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** 16 bytes, including IPv4-mapped and IPv4-compatible layouts. */
const bytes16 = fc.oneof(
  words8.map(wordsToBytes),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.tuple(fc.constantFrom(0, 0xffff, 1), fc.uint8Array({ minLength: 4, maxLength: 4 })).map(
    ([w5, v4]) => {
      const out = new Uint8Array(16);
      out[10] = w5 >> 8;
      out[11] = w5 & 0xff;
      out.set(v4, 12);
      return out;
    },
  ),
);

/** IPv6 text: random words in random spellings, an optional "::", an optional dotted tail. */
const ipv6Text = fc.tuple(
  words8,
  fc.array(fc.nat(5), { minLength: 8, maxLength: 8 }),
  fc.boolean(),
  fc.option(fc.tuple(fc.nat(8), fc.nat(8))),
  fc.option(dottedQuad, { freq: 4 }),
).map(([ws, pads, upper, cut, tail]) => {
  let groups = ws.map((w, i) => {
    const h = w.toString(16).padStart(Math.min(pads[i], 5), "0");
    return upper ? h.toUpperCase() : h;
  });
  if (tail !== null) groups = groups.slice(0, 6).concat(tail);
  if (cut === null) return groups.join(":");
  const [a, b] = [Math.min(...cut), Math.max(...cut)];
  return groups.slice(0, a).join(":") + "::" + groups.slice(b).join(":");
});

/** Single-character edits of valid-looking text. */
const mutated = (base: fc.Arbitrary<string>, alphabet: string) =>
  fc.tuple(
    base,
    fc.nat(),
    fc.constantFrom("insert", "delete", "replace"),
    fc.constantFrom(...alphabet),
  )
    .map(([s, at, op, ch]) => {
      const i = s.length ? at % (s.length + 1) : 0;
      if (op === "insert") return s.slice(0, i) + ch + s.slice(i);
      if (op === "delete") return s.slice(0, i) + s.slice(i + 1);
      return s.slice(0, i) + ch + s.slice(i + 1);
    });

const ipv6Edges = [
  "",
  ":",
  "::",
  ":::",
  "::1",
  "1::",
  "1:",
  ":1",
  "1::2::3",
  "::ffff:1.2.3.4",
  "::1.2.3.4",
  "1:2:3:4:5:6:7::",
  "::2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:1.2.3.4",
  "1:2:3:4:5:6:7:1.2.3.4",
  "::1.2.3",
  "::1.2.3.4.5",
  "::01.2.3.4",
  "::ffff:256.1.1.1",
  "fe80::1%eth0",
  "12345::",
  "::00000",
  "1.2.3.4",
  "::1.2.3.4:1",
  "a::b:1.2.3.4",
  "::ffff:0:0",
  "0:0:0:0:0:0:0:0",
];
const atonEdges = [
  "",
  "127.1",
  "10.1.2",
  "0x7f.1",
  "010.0.0.1",
  "08.1",
  "0x",
  "0x.1",
  "1.2.3.4.",
  "4294967295",
  "4294967296",
  "1.16777215",
  "1.16777216",
  "1.2.65535",
  "1.2.65536",
  "1.2.3.255",
  "1.2.3.256",
  "1.2.3.4 garbage",
  "1.2.3.4\tx",
  "1.2.3.4\u00a0",
  " 1.2.3.4",
  "1..2",
  "0xffffffffffffffffffff",
  "00000000000000000000000000001.2",
  "037777777777",
  "040000000000",
  "0XfF.0.0.0",
  "1.2.3.4\0",
];

const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] =>
  fc.sample(arb, { numRuns: n, seed: SEED + salt });

const hexOf = (b: Uint8Array) => toHex(b);

const atonInputs = [
  ...atonEdges,
  ...sample(dotted, 4000, 1),
  ...sample(soup("0123456789abcdefxX. \t\n\v-+", 16), 1000, 2),
  ...sample(mutated(dotted, "0x9. \tz\0"), 1000, 3),
];
const pton4Inputs = [
  ...atonEdges,
  ...sample(dottedQuad, 1500, 4),
  ...sample(dotted, 1000, 5),
  ...sample(mutated(dottedQuad, "0.9 a:"), 500, 6),
];
const pton6Inputs = [
  ...ipv6Edges,
  ...sample(bytes16, 500, 7).map(inetNtop6),
  ...sample(ipv6Text, 3000, 8),
  ...sample(mutated(ipv6Text, ":.0aAfFg %"), 1500, 9),
  ...sample(soup("0123456789abcdefABCDEF:.", 14), 1000, 10),
];
const bytes4 = sample(fc.uint8Array({ minLength: 4, maxLength: 4 }), 1000, 11);
const bytes16s = sample(bytes16, 3000, 12);
const reprBytes = sample(
  fc.uint8Array({ maxLength: 20 }).chain((b) =>
    fc.array(fc.constantFrom(0x22, 0x27, 0x5c, 0x09, 0x0a, 0x0d, 0x7f, 0x20, 0x7e), {
      maxLength: 3,
    }).map((extra) => Uint8Array.from([...b, ...extra]))
  ),
  1000,
  13,
);

// ---- one batch call to python3 --------------------------------------------------------------

const PYTHON = String.raw`
import json, socket, sys
req = json.load(sys.stdin)
def attempt(f, x):
    try:
        return f(x)
    except (OSError, ValueError):
        return None
out = {
    "aton": [attempt(lambda s: socket.inet_aton(s).hex(), s) for s in req["aton"]],
    "pton4": [attempt(lambda s: socket.inet_pton(socket.AF_INET, s).hex(), s) for s in req["pton4"]],
    "pton6": [attempt(lambda s: socket.inet_pton(socket.AF_INET6, s).hex(), s) for s in req["pton6"]],
    "ntoa": [socket.inet_ntoa(bytes.fromhex(h)) for h in req["bytes4"]],
    "ntop4": [socket.inet_ntop(socket.AF_INET, bytes.fromhex(h)) for h in req["bytes4"]],
    "ntop6": [socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h)) for h in req["bytes16"]],
    "repr": [repr(bytes.fromhex(h)) for h in req["repr"]],
}
json.dump(out, sys.stdout)
`;

interface PythonAnswers {
  aton: (string | null)[];
  pton4: (string | null)[];
  pton6: (string | null)[];
  ntoa: string[];
  ntop4: string[];
  ntop6: string[];
  repr: string[];
}

function askPython(): PythonAnswers {
  const request = {
    aton: atonInputs,
    pton4: pton4Inputs,
    pton6: pton6Inputs,
    bytes4: bytes4.map(hexOf),
    bytes16: bytes16s.map(hexOf),
    repr: reprBytes.map(hexOf),
  };
  const r = spawnSync("python3", ["-c", PYTHON], {
    input: JSON.stringify(request),
    maxBuffer: 64 * 1024 * 1024,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

let answers: PythonAnswers | undefined;
const python = () => (answers ??= askPython());

/** Compares our answers with Python's; fails with the first few mismatches and the seed. */
function agree<I>(
  name: string,
  inputs: readonly I[],
  expected: readonly unknown[],
  ours: (input: I) => unknown,
) {
  assert.equal(expected.length, inputs.length);
  const mismatches: string[] = [];
  inputs.forEach((input, i) => {
    const got = ours(input);
    if (got !== expected[i] && mismatches.length < 10) {
      mismatches.push(
        `${JSON.stringify(input)}: python ${JSON.stringify(expected[i])}, ` +
          `netdiag ${JSON.stringify(got)}`,
      );
    }
  });
  assert.deepEqual(mismatches, [], `${name} differs from python3 (NETDIAG_FC_SEED=${SEED})`);
}

const hexOrNull = (b: Uint8Array | undefined) => (b ? toHex(b) : null);

test("inetAton() accepts and rejects exactly what python3 socket.inet_aton does", () => {
  const py = python();
  agree("inet_aton", atonInputs, py.aton, (s) => hexOrNull(inetAton(s)));
  // The generators must reach both outcomes, or the comparison proves little.
  assert.ok(py.aton.filter((a) => a !== null).length > 600);
  assert.ok(py.aton.filter((a) => a === null).length > 1000);
});

test("inetPton4() accepts and rejects exactly what python3 socket.inet_pton(AF_INET) does", () => {
  const py = python();
  agree("inet_pton(AF_INET)", pton4Inputs, py.pton4, (s) => hexOrNull(inetPton4(s)));
  assert.ok(py.pton4.filter((a) => a !== null).length > 500);
});

test("inetPton6() accepts and rejects exactly what python3 socket.inet_pton(AF_INET6) does", () => {
  const py = python();
  agree("inet_pton(AF_INET6)", pton6Inputs, py.pton6, (s) => hexOrNull(inetPton6(s)));
  assert.ok(py.pton6.filter((a) => a !== null).length > 1000);
  assert.ok(py.pton6.filter((a) => a === null).length > 1000);
});

test("inetNtop4() prints 4 bytes as python3 socket.inet_ntoa and inet_ntop(AF_INET) do", () => {
  const py = python();
  agree("inet_ntoa", bytes4, py.ntoa, (b) => inetNtop4(b));
  agree("inet_ntop(AF_INET)", bytes4, py.ntop4, (b) => inetNtop4(b));
});

test("inetNtop6() prints 16 bytes as python3 socket.inet_ntop(AF_INET6) does", () => {
  const py = python();
  agree("inet_ntop(AF_INET6)", bytes16s, py.ntop6, (b) => inetNtop6(b));
  assert.ok(py.ntop6.some((t) => t.includes(".")), "no IPv4-mapped/compatible case generated");
});

test("pythonBytesLiteral() equals python3 repr(bytes)", () => {
  agree("repr(bytes)", reprBytes, python().repr, (b) => pythonBytesLiteral(b));
});

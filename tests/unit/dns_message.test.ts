import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import dnsPacket from "dns-packet";
import fc from "fast-check";
import {
  decodeMessage,
  DNS_FLAGS,
  DnsFormatError,
  encodeQuery,
} from "../../lib/core/dns_message.ts";
import { toDnsRecord, type WireRecord } from "../../lib/core/dns_records.ts";

// dns-packet is the reference codec: netdiag's own codec must read and write the same messages.

test("encodeQuery() writes a query dns-packet reads back, with RD and an EDNS OPT record", () => {
  const bytes = encodeQuery(0x1234, "Host.Example.test", "MX");
  const p = dnsPacket.decode(Buffer.from(bytes));
  assert.equal(p.id, 0x1234);
  assert.equal(p.type, "query");
  assert.equal((p.flags ?? 0) & dnsPacket.RECURSION_DESIRED, dnsPacket.RECURSION_DESIRED);
  assert.deepEqual(p.questions, [{ name: "Host.Example.test", type: "MX", class: "IN" }]);
  const opt = p.additionals?.[0] as unknown as { type: string; udpPayloadSize: number };
  assert.equal(opt.type, "OPT");
  assert.equal(opt.udpPayloadSize, 1232);
});

test("encodeQuery() without EDNS and for the root name", () => {
  const p = dnsPacket.decode(Buffer.from(encodeQuery(7, ".", "NS", { ednsPayload: 0 })));
  assert.deepEqual(p.questions, [{ name: ".", type: "NS", class: "IN" }]);
  assert.equal(p.additionals?.length ?? 0, 0);
});

test("encodeQuery() rejects an over-long label", () => {
  assert.throws(() => encodeQuery(1, "a".repeat(64) + ".test", "A"), RangeError);
});

const ANSWERS = [
  { name: "alias.test", type: "CNAME", ttl: 30, data: "host.test" },
  { name: "host.test", type: "A", ttl: 300, data: "10.0.0.2" },
  { name: "host.test", type: "AAAA", ttl: 300, data: "fd00::2" },
  { name: "mx.test", type: "MX", ttl: 60, data: { preference: 10, exchange: "mail.test" } },
  {
    name: "txt.test",
    type: "TXT",
    ttl: 60,
    data: [Buffer.from("first string"), Buffer.from('second "string"')],
  },
  {
    name: "_sip._tcp.srv.test",
    type: "SRV",
    ttl: 60,
    data: { priority: 10, weight: 20, port: 5060, target: "sip.test" },
  },
  { name: "caa.test", type: "CAA", ttl: 60, data: { flags: 0, tag: "issue", value: "ca.test" } },
  {
    name: "naptr.test",
    type: "NAPTR",
    ttl: 60,
    data: {
      order: 100,
      preference: 10,
      flags: "U",
      services: "E2U+sip",
      regexp: "!^.*$!sip:info@example.test!",
      replacement: ".",
    },
  },
  { name: "1.0.0.127.in-addr.arpa", type: "PTR", ttl: 60, data: "loopback.test" },
  { name: "test", type: "NS", ttl: 60, data: "ns.test" },
];

const SOA = {
  name: "test",
  type: "SOA",
  ttl: 60,
  data: {
    mname: "ns.test",
    rname: "hostmaster.test",
    serial: 2024010101,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum: 60,
  },
};

test("decodeMessage() reads every record type as dns-packet does, compression included", () => {
  const wire = dnsPacket.encode({
    type: "response",
    id: 42,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE |
      dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ name: "alias.test", type: "A", class: "IN" }],
    answers: ANSWERS as dnsPacket.Answer[],
    authorities: [SOA as dnsPacket.Answer],
  });
  const mine = decodeMessage(new Uint8Array(wire));
  const ref = dnsPacket.decode(wire);
  assert.equal(mine.id, 42);
  assert.equal(mine.rcode, "NOERROR");
  assert.ok(mine.flags & DNS_FLAGS.AA);
  assert.deepEqual(mine.questions, [{ name: "alias.test", type: "A", class: "IN" }]);
  const view = (records: readonly unknown[]) =>
    records.map((r) => toDnsRecord(r as WireRecord)).map(({ name, type, ttl, value, data }) => ({
      name,
      type,
      ttl,
      value,
      data,
    }));
  assert.deepEqual(view(mine.answers), view(ref.answers ?? []));
  assert.deepEqual(view(mine.authorities), view(ref.authorities ?? []));
  assert.equal(
    view(mine.answers).find((r) => r.type === "TXT")?.data,
    '"first string" "second \\"string\\""',
  );
});

test("decodeMessage() reads 32-bit fields with the top bit set as dns-packet does (TTL, SOA serial)", () => {
  const soa = { ...SOA, ttl: 0x80000001, data: { ...SOA.data, serial: 0xfffffffe } };
  const wire = dnsPacket.encode({
    type: "response",
    id: 0xfffe,
    questions: [{ name: "test", type: "SOA", class: "IN" }],
    answers: [soa as dnsPacket.Answer],
  });
  const mine = decodeMessage(new Uint8Array(wire));
  assert.equal(mine.id, 0xfffe);
  const record = toDnsRecord(mine.answers[0] as WireRecord);
  assert.equal(record.ttl, 0x80000001);
  assert.equal((record.value as { serial: number }).serial, 0xfffffffe);
});

test("decodeMessage() reads the response code", () => {
  for (const [rcode, bits] of [["NXDOMAIN", 3], ["SERVFAIL", 2], ["REFUSED", 5]] as const) {
    const wire = dnsPacket.encode({
      type: "response",
      id: 1,
      flags: bits,
      questions: [{ name: "x.test", type: "A", class: "IN" }],
    });
    assert.equal(decodeMessage(new Uint8Array(wire)).rcode, rcode);
  }
});

test("decodeMessage() rejects truncated messages and compression loops", () => {
  const wire = new Uint8Array(dnsPacket.encode({
    type: "response",
    id: 1,
    questions: [{ name: "x.test", type: "A", class: "IN" }],
    answers: [{ name: "x.test", type: "A", ttl: 1, data: "10.0.0.1" }],
  }));
  assert.throws(() => decodeMessage(wire.subarray(0, wire.length - 2)), DnsFormatError);
  const loop = new Uint8Array([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
  assert.throws(() => decodeMessage(loop), DnsFormatError);
});

test("decodeMessage() throws only DnsFormatError on arbitrary bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      try {
        decodeMessage(bytes);
      } catch (error) {
        return error instanceof DnsFormatError;
      }
      return true;
    }),
    { numRuns: 2000 },
  );
});

test("encodeQuery() names round-trip through dns-packet for random labels", () => {
  const label = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
  fc.assert(
    fc.property(
      fc.array(label, { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 0, max: 65535 }),
      (labels, id) => {
        const name = labels.join(".");
        const p = dnsPacket.decode(Buffer.from(encodeQuery(id, name, "A")));
        return p.id === id && p.questions?.[0].name === name;
      },
    ),
    { numRuns: 300 },
  );
});

// Bounds on hostile replies: lengths, pointers, decoded work, record data, OPT.

const header = (qd: number, an: number, ar = 0, flags = 0x8180) =>
  new Uint8Array([0, 1, flags >> 8, flags & 0xff, 0, qd, an >> 8, an & 0xff, 0, 0, 0, ar]);
const name = (...lengths: number[]) =>
  Buffer.concat([
    ...lengths.map((n) => Buffer.from([n, ...Buffer.from("x".repeat(n))])),
    Buffer.from([0]),
  ]);
const question = (wire: Uint8Array) => Buffer.concat([wire, Buffer.from([0, 1, 0, 1])]);
const record = (type: number, data: number[], cls = 1) =>
  Buffer.from([0xc0, 12, 0, type, cls >> 8, cls & 0xff, 0, 0, 0, 60, 0, data.length, ...data]);
const formatError = (pattern: RegExp) => (e: unknown) =>
  e instanceof DnsFormatError && pattern.test(e.message);

test("decodeMessage() takes a 255-octet name and rejects a 256-octet one", () => {
  const ok = decodeMessage(Buffer.concat([header(1, 0), question(name(63, 63, 63, 61))]));
  assert.equal(ok.questions[0].name.length, 253);
  assert.throws(
    () => decodeMessage(Buffer.concat([header(1, 0), question(name(63, 63, 63, 62))])),
    formatError(/a name is longer than 255 octets/),
  );
});

test("decodeMessage() follows 127 compression pointers in a name and no more", () => {
  const chain = (pointers: number) => {
    const out = [...header(1, 0)];
    for (let i = 0; i < pointers; i++) {
      const next = 12 + 2 * (i + 1);
      out.push(0xc0 | (next >> 8), next & 0xff);
    }
    out.push(0, 0, 1, 0, 1); // the root name, type A, class IN
    return new Uint8Array(out);
  };
  assert.equal(decodeMessage(chain(127)).questions[0].name, ".");
  assert.throws(() => decodeMessage(chain(128)), formatError(/more than 127 compression pointers/));
});

test("decodeMessage() reads a name that points at the question as it reads the question", () => {
  // The question is decoded once and reused; what the pointer leads to must not change.
  const q = name(3, 5);
  const prefixed = Buffer.from([1, 0x61, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]);
  const m = decodeMessage(
    Buffer.concat([header(1, 2), question(q), record(1, [5, 6, 7, 8]), prefixed]),
  );
  assert.deepEqual(m.answers.map((a) => [a.name, a.data]), [
    ["xxx.xxxxx", "5.6.7.8"],
    ["a.xxx.xxxxx", "1.2.3.4"],
  ]);
});

test("decodeMessage() counts the question a name points at against the name's limits", () => {
  // 255 octets in the question itself; one more label in front of a pointer to it is too long.
  const long = question(name(63, 63, 63, 61));
  const over = Buffer.from([1, 0x61, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]);
  assert.throws(
    () => decodeMessage(Buffer.concat([header(1, 1), long, over])),
    formatError(/a name is longer than 255 octets/),
  );
  // The question is a pointer into a chain of `links` pointers kept in a CH record's raw data;
  // a record pointing at the question follows links + 2 pointers.
  const chained = (links: number) => {
    const chainAt = 12 + 6 + 11;
    const chain = [];
    for (let i = 0; i < links; i++) {
      const next = chainAt + 2 * (i + 1);
      chain.push(0xc0 | (next >> 8), next & 0xff);
    }
    chain.push(0);
    return Buffer.concat([
      header(1, 2),
      Buffer.from([0xc0 | (chainAt >> 8), chainAt & 0xff, 0, 1, 0, 1]),
      Buffer.from([0, 0, 1, 0, 3, 0, 0, 0, 60, chain.length >> 8, chain.length & 0xff, ...chain]),
      record(1, [1, 2, 3, 4]),
    ]);
  };
  assert.equal(decodeMessage(chained(125)).answers[1].name, ".");
  assert.throws(
    () => decodeMessage(chained(126)),
    formatError(/more than 127 compression pointers/),
  );
});

test("decodeMessage() stops a message whose names cost more than 512 KiB to decode", () => {
  // 2,200 records owned by a 250-octet name: 550,000 octets of names in a 35 KB message.
  const owner = name(49, 49, 49, 49, 49);
  const first = Buffer.concat([owner, Buffer.from([0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4])]);
  const pointer = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4];
  const bomb = (records: number) =>
    Buffer.concat([
      header(0, records),
      first,
      ...Array.from({ length: records - 1 }, () => Buffer.from(pointer)),
    ]);
  assert.equal(decodeMessage(bomb(2000)).answers.length, 2000);
  assert.throws(() => decodeMessage(bomb(2200)), formatError(/more than 524288 octets/));
});

test("decodeMessage() rejects record data of the wrong length for its type", () => {
  const reply = (...records: Uint8Array[]) =>
    Buffer.concat([header(1, records.length), question(name(1)), ...records]);
  const cases: [Uint8Array, RegExp][] = [
    [record(1, [1, 2, 3]), /A record of "x" has 3 octets of data, expected 4/],
    [record(1, [1, 2, 3, 4, 5]), /A record of "x" has 5 octets of data, expected 4/],
    [record(28, [1, 2, 3, 4]), /AAAA record of "x" has 4 octets of data, expected 16/],
    [record(15, [0]), /MX record of "x" has 1 octet of data, at least 3 expected/],
    [record(5, [0, 9]), /CNAME record of "x" has 2 octets of data but its fields take 1/],
  ];
  for (const [bad, pattern] of cases) {
    assert.throws(() => decodeMessage(reply(bad)), formatError(pattern), String(pattern));
  }
  // A name running on past its record's data (into the next record's owner name).
  assert.throws(
    () => decodeMessage(reply(record(5, [1, 0x78]), record(1, [1, 2, 3, 4]))),
    formatError(/CNAME record of "x" has 2 octets of data but its fields take 4/),
  );
  assert.throws(
    () => decodeMessage(reply(record(16, [5, 0x61]), record(1, [1, 2, 3, 4]))),
    formatError(/TXT record of "x" has 2 octets of data but its fields take 6/),
  );
  assert.equal(decodeMessage(reply(record(1, [1, 2, 3, 4]))).answers[0].data, "1.2.3.4");
});

test("decodeMessage() keeps the data of other classes raw, with the class named", () => {
  const m = decodeMessage(
    Buffer.concat([header(1, 1), question(name(1)), record(1, [1, 2, 3], 3)]),
  );
  assert.equal(m.answers[0].class, "CH");
  assert.deepEqual([...(m.answers[0].data as Uint8Array)], [1, 2, 3]);
});

test("decodeMessage() adds the OPT record's extended rcode to the header's", () => {
  const opt = (extended: number) => Buffer.from([0, 0, 41, 0x04, 0xd0, extended, 0, 0, 0, 0, 0]);
  const reply = (rcode: number, ...opts: Uint8Array[]) =>
    Buffer.concat([header(1, 0, opts.length, 0x8180 | rcode), question(name(1)), ...opts]);
  assert.equal(decodeMessage(reply(0, opt(1))).rcode, "BADVERS");
  assert.equal(decodeMessage(reply(7, opt(1))).rcode, "BADCOOKIE");
  assert.equal(decodeMessage(reply(3, opt(0))).rcode, "NXDOMAIN");
  assert.equal(decodeMessage(reply(15)).rcode, "RCODE15");
  assert.throws(() => decodeMessage(reply(0, opt(0), opt(0))), formatError(/2 OPT records/));
});

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

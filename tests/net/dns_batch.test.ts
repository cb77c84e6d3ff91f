import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import dnsPacket from "dns-packet";
import type { DnsExchange } from "../../lib/core/dns_exchange.ts";
import { type DatagramSocket, netAdapter } from "../../lib/net/mod.ts";
import { queryDnsBatch } from "../../lib/resolve/mod.ts";
import { AHEAD_FACTOR } from "../../lib/core/ordered_pool.ts";

/**
 * A scripted server for batches: `ok-N` answers at once (10.0.x.y from N), `lazy-N` the same a
 * millisecond later (so that the queries in flight pile up), `silent-N` never answers, `swap-a`
 * and `swap-b` (both held until both are in flight) first get forged replies carrying each
 * other's id (and their own id plus one), then the honest ones, `wrongport` first gets a forged reply
 * from another port and then the honest one. It counts the queries it sees per name and the most
 * `lazy-N` queries it had unanswered at once.
 */
interface BatchServer {
  readonly server: string;
  readonly seen: Map<string, number>;
  /** The most `lazy-N` queries received and not yet answered at once. */
  maxOutstanding: number;
  /** `lazy-N` replies sent so far. */
  answered: number;
  close(): void;
}

const FORGED = "203.0.113.66";
const HONEST = "10.9.9.9";

const okAddress = (n: number) => `10.0.${n >> 8 & 255}.${n & 255}`;

type Query = ReturnType<typeof dnsPacket.decode>;

function reply(q: Query, id: number, address: string): Uint8Array {
  const name = q.questions![0].name;
  return dnsPacket.encode({
    type: "response",
    id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: q.questions,
    answers: [{ type: "A", name, ttl: 60, data: address }],
  });
}

async function startBatchServer(): Promise<BatchServer> {
  const adapter = await netAdapter();
  const socket: DatagramSocket = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const other: DatagramSocket = await adapter.bindDatagram({ hostname: "127.0.0.1", port: 0 });
  const port = (socket.addr as { port: number }).port;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };
  let outstanding = 0;
  // the swap query that came first, waiting for the other
  let held: { q: Query; from: { hostname: string; port: number } } | undefined;
  const state: BatchServer = {
    server: `127.0.0.1:${port}`,
    seen: new Map(),
    maxOutstanding: 0,
    answered: 0,
    close() {
      for (const t of timers) clearTimeout(t);
      socket.close();
      other.close();
    },
  };
  const send = (s: DatagramSocket, data: Uint8Array, to: { hostname: string; port: number }) =>
    s.send(data, to).catch(() => {});
  void (async () => {
    for (;;) {
      let d;
      try {
        d = await socket.receive();
      } catch {
        return;
      }
      const q = dnsPacket.decode(Buffer.from(d.data));
      const name = q.questions![0].name.toLowerCase();
      state.seen.set(name, (state.seen.get(name) ?? 0) + 1);
      const from = d.from;
      const label = name.split(".")[0];
      if (label.startsWith("ok-")) {
        await send(socket, reply(q, q.id!, okAddress(Number(label.slice(3)))), from);
      } else if (label.startsWith("lazy-")) {
        outstanding++;
        state.maxOutstanding = Math.max(state.maxOutstanding, outstanding);
        later(1, () => {
          outstanding--;
          state.answered++;
          void send(socket, reply(q, q.id!, okAddress(Number(label.slice(5)))), from);
        });
      } else if (label.startsWith("swap-")) {
        if (!held) {
          held = { q, from };
          continue;
        }
        const pair = [held, { q, from }];
        held = undefined;
        // each question with the other query's id, and with its own id plus one
        await send(socket, reply(pair[0].q, pair[1].q.id!, FORGED), pair[0].from);
        await send(socket, reply(pair[1].q, pair[0].q.id!, FORGED), pair[1].from);
        for (const p of pair) {
          await send(socket, reply(p.q, (p.q.id! + 1) & 0xffff, FORGED), p.from);
        }
        later(30, () => {
          for (const p of pair) void send(socket, reply(p.q, p.q.id!, HONEST), p.from);
        });
      } else if (label === "wrongport") {
        await send(other, reply(q, q.id!, FORGED), from);
        later(30, () => {
          void send(socket, reply(q, q.id!, HONEST), from);
        });
      }
    }
  })();
  return state;
}

const addressesOf = (e: DnsExchange) => e.answers.map((a) => a.data);

describe("a DNS batch shares one socket, one receive loop and one deadline sweep", () => {
  let server: BatchServer;

  before(async () => {
    server = await startBatchServer();
  });

  after(() => server?.close());

  test("replies with another query's id, an unknown id or from another port are ignored", async () => {
    const lines = [
      ...Array.from({ length: 40 }, (_, i) => `ok-${i}.batch.test`),
      "swap-a.batch.test",
      "swap-b.batch.test",
      ...Array.from({ length: 20 }, (_, i) => `ok-${100 + i}.batch.test`),
      "wrongport.batch.test",
    ];
    const { results } = await queryDnsBatch(undefined, {
      queries: lines,
      server: server.server,
      timeoutMs: 2000,
      concurrency: 16,
    });
    assert.equal(results.length, lines.length);
    for (const [i, r] of results.entries()) {
      assert.equal(r.name, lines[i]);
      assert.equal(r.status, "NOERROR", r.name);
      const label = r.name.split(".")[0];
      const want = label.startsWith("ok-") ? okAddress(Number(label.slice(3))) : HONEST;
      assert.deepEqual(addressesOf(r), [want], r.name);
    }
  });

  test("queries that time out in a batch do not hold up the others; each is sent 3 times", async () => {
    const lines = Array.from(
      { length: 60 },
      (_, i) => i % 12 === 5 ? `silent-${i}.batch.test` : `ok-${i}.batch.test`,
    );
    const started = performance.now();
    const { results, summary } = await queryDnsBatch(undefined, {
      queries: lines,
      server: server.server,
      timeoutMs: 450,
      concurrency: 8,
    });
    const took = performance.now() - started;
    assert.equal(results.length, 60);
    for (const r of results) {
      if (r.name.startsWith("silent-")) {
        assert.equal(r.status, "TIMEOUT", r.name);
        assert.match(r.reason!, /no answer within 450 ms/);
        assert.ok(r.timeMs >= 440, `${r.name} timed out after ${r.timeMs} ms`);
        // the query and two retransmissions, at a third and two thirds of the time limit
        assert.equal(server.seen.get(r.name), 3, r.name);
      } else {
        assert.equal(r.status, "NOERROR", r.name);
      }
    }
    assert.equal(summary.failed, 5);
    // the five timeouts overlap: far less than five time limits one after another
    assert.ok(took < 5 * 450, `the batch took ${Math.round(took)} ms`);
  });

  test("an abort ends the queries in flight at once and marks the batch interrupted", async () => {
    const controller = new AbortController();
    const lines = Array.from({ length: 20 }, (_, i) => `silent-abort-${i}.batch.test`);
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const batch = await queryDnsBatch(
      undefined,
      {
        queries: lines,
        server: server.server,
        timeoutMs: 5000,
        concurrency: 20,
      },
      {},
      controller.signal,
    );
    assert.equal(batch.interrupted, true);
    assert.equal(batch.results.length, 0);
    assert.ok(performance.now() - started < 2000);
  });

  test("10,000 names stream through in bounded memory, never more in flight than asked", async () => {
    const count = 10_000;
    server.maxOutstanding = 0;
    server.answered = 0;
    let answered = 0;
    let delivered = 0;
    let maxHeld = 0;
    let wrong = 0;
    function* lines() {
      for (let i = 0; i < count; i++) yield `lazy-${i}.batch.test`;
    }
    const batch = await queryDnsBatch(undefined, {
      queries: lines(),
      server: server.server,
      timeoutMs: 3000,
      concurrency: 64,
      keepResults: false,
    }, {
      onResult: (r) => {
        // Replies the server sent that the batch has not handed on yet: in flight or held.
        maxHeld = Math.max(maxHeld, server.answered - delivered++);
        const n = Number(r.name.split(".")[0].slice(5));
        if (r.status === "NOERROR" && addressesOf(r)[0] === okAddress(n)) answered++;
        else wrong++;
      },
    });
    assert.equal(answered, count);
    assert.equal(wrong, 0);
    assert.equal(batch.results.length, 0);
    assert.equal(batch.summary.count, count);
    assert.ok(server.maxOutstanding <= 64, `${server.maxOutstanding} queries in flight`);
    assert.ok(server.maxOutstanding > 1, "the queries were asked one at a time");
    // Results are streamed, not held: answered but not yet handed on, never more than the
    // ordered pool's bound, however many names. (Not the process's RSS: under --parallel other
    // test files share the process, and CI once saw it grow by 101 MB while this batch held
    // nothing.)
    assert.ok(maxHeld <= 64 * AHEAD_FACTOR, `${maxHeld} answered results held at once`);
  });
});

/** The packed form of scan results: plan walking by index, packing, and the result store. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ProbeResult } from "../../lib/core/probe_result.ts";
import {
  packLatency,
  packOutcome,
  packResult,
  unpackResult,
} from "../../lib/probe/packed_result.ts";
import {
  claimedProbes,
  type PlannedTarget,
  planProbes,
  planTargets,
  type ProbeTask,
  taskAt,
} from "../../lib/probe/plan.ts";
import { ResultStore } from "../../lib/probe/result_store.ts";
import { ClaimCounter } from "../../lib/probe/claims.ts";

function plan(texts: string[]): PlannedTarget[] {
  const planned = planTargets(texts, undefined, "tcp", new Map(), "test");
  return planned.map((p) =>
    p.target.kind === "host" && p.target.host === "db"
      ? { ...p, addresses: ["10.0.0.5", "fd00::5"] }
      : p
  );
}

const MIXED = ["127.0.0.1:1-3,80,443-444", "10.1.2.0/30:22,80", "db:5432", "unix:/run/x.sock"];

test("claimedProbes() yields a mixed plan's tasks as planProbes() does, chunk by chunk", () => {
  const planned = plan(MIXED);
  const all = [...planProbes(planned)];
  for (const chunk of [1, 3, 5, 100]) {
    const counter = new ClaimCounter();
    assert.deepEqual([...claimedProbes(planned, counter, chunk)], all, `chunks of ${chunk}`);
  }
});

test("taskAt() finds every task of a mixed plan by its index, and nothing past the end", () => {
  const planned = plan(MIXED);
  const all = [...planProbes(planned)];
  assert.equal(all.length, 6 + 8 + 1 + 1);
  for (const task of all) assert.deepEqual(taskAt(planned, task.index), task);
  assert.equal(taskAt(planned, all.length), undefined);
});

test("taskAt() reaches deep into a /16 times 65535 ports at once", () => {
  const planned = plan(["10.9.0.0/16:1-65535"]);
  const task = taskAt(planned, 65535 * 300 + 41)!;
  assert.equal(task.host, "10.9.1.44");
  assert.equal(task.port, 42);
});

function tcpResult(task: ProbeTask, fields: Partial<ProbeResult> & Record<string, unknown>) {
  return {
    target: task.target,
    transport: "tcp",
    host: task.host!,
    address: task.addresses[0],
    port: task.port!,
    family: 4,
    service: null,
    state: "closed",
    code: "ECONNREFUSED",
    latencyMs: 0.125,
    attempts: 1,
    ...fields,
  } as ProbeResult;
}

test("a packed TCP result unpacks to an equal result, keys in the same order", () => {
  const planned = plan(MIXED);
  const [first] = planProbes(planned);
  const db = [...planProbes(planned)].find((t) => t.host === "db")!;
  const cases: [ProbeTask, ProbeResult, string | null][] = [
    [first, tcpResult(first, {}), null],
    [first, tcpResult(first, { state: "open", code: null, latencyMs: 12.345 }), "tcpmux"],
    [first, tcpResult(first, { state: "filtered", code: "ETIMEDOUT", latencyMs: null }), null],
    [first, tcpResult(first, { code: "SELF_CONNECT", attempts: 3 }), null],
    [db, tcpResult(db, { address: "fd00::5", family: 6, state: "open", code: null }), null],
    [db, tcpResult(db, { address: null, family: null, state: "error", code: "ENOTFOUND" }), null],
  ];
  for (const [task, result, service] of cases) {
    const withService = { ...result, service } as ProbeResult;
    const word = packResult(withService, task, service);
    assert.notEqual(word, undefined, JSON.stringify(withService));
    const back = unpackResult(task, service, word!, packLatency(withService.latencyMs));
    assert.equal(JSON.stringify(back), JSON.stringify(withService));
  }
});

test("packOutcome() packs a first-address outcome as packResult() packs the result built from it", () => {
  const [task] = planProbes(plan(MIXED));
  const outcomes = [
    { state: "closed", code: "ECONNREFUSED", attempts: 1 },
    { state: "open", code: null, attempts: 1 },
    { state: "filtered", code: "ETIMEDOUT", attempts: 3 },
    { state: "closed", code: "SELF_CONNECT", attempts: 1 },
  ] as const;
  for (const o of outcomes) {
    const result = tcpResult(task, { state: o.state, code: o.code, attempts: o.attempts });
    assert.equal(packOutcome(o.state, o.code, o.attempts), packResult(result, task, null));
  }
  assert.equal(packOutcome("error", "EODD", 1), undefined);
});

test("results that do not pack are left whole: UDP, odd codes, foreign addresses, many attempts", () => {
  const [task] = planProbes(plan(MIXED));
  const unpackable = [
    { ...tcpResult(task, {}), transport: "udp", icmpVisible: false },
    tcpResult(task, { state: "error", code: "EWHATEVER" }),
    tcpResult(task, { address: "127.0.0.2" }),
    tcpResult(task, { attempts: 300 }),
    tcpResult(task, { service: "ssh" }),
  ] as ProbeResult[];
  for (const r of unpackable) assert.equal(packResult(r, task, null), undefined, JSON.stringify(r));
});

test("ResultStore keeps packed and whole results in plan order, counting states once each", () => {
  const planned = plan(MIXED);
  const tasks = [...planProbes(planned)];
  const store = new ResultStore(tasks.length);
  store.plan = { planned, byPort: new Map() };
  const unix: ProbeResult = {
    target: "unix:/run/x.sock",
    transport: "unix",
    path: "/run/x.sock",
    state: "closed",
    code: "ENOENT",
    latencyMs: 0.01,
    attempts: 1,
  };
  for (const t of tasks.slice(0, -1).reverse()) store.set(t.index, tcpResult(t, {}), t);
  store.set(tasks.at(-1)!.index, unix, tasks.at(-1));
  store.set(2, tcpResult(tasks[2], { state: "open", code: null }), tasks[2]);
  store.set(4, tcpResult(tasks[4], { state: "error", code: "EODD" }), tasks[4]);
  store.set(4, tcpResult(tasks[4], { state: "open", code: null }), tasks[4]); // replaces it
  assert.equal(store.size, tasks.length);
  assert.deepEqual(store.counts(), {
    open: 2,
    closed: tasks.length - 2,
    filtered: 0,
    openFiltered: 0,
    error: 0,
  });
  assert.deepEqual([...store.indexes()], tasks.map((t) => t.index));
  assert.deepEqual([...store.indexes((s) => s === "open")], [2, 4]);
  assert.deepEqual(store.get(tasks.at(-1)!.index), unix);
  assert.deepEqual(store.get(0), tcpResult(tasks[0], {}));
  assert.equal(store.get(99), undefined);
});

test("ResultStore holds indexes past 2^31 (a huge plan) and grows a first chunk sized small", () => {
  const planned = plan(["10.9.0.0/16:1-65535", "127.0.0.1:1-65535"]);
  const store = new ResultStore(1);
  store.plan = { planned, byPort: new Map() };
  const far = 65536 * 65535 + 7;
  for (const index of [far, 3, 0]) {
    const task = taskAt(planned, index)!;
    store.set(index, tcpResult(task, {}), task);
  }
  assert.deepEqual([...store.indexes()], [0, 3, far]);
  assert.equal((store.get(far) as { port: number }).port, 8);
  assert.equal(store.stateOf(3), "closed");
});

/** The pure parts of the probe engine and `netdiag probe`: port lists, targets, CIDR blocks, plan, scheduler, views. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../lib/core/errors.ts";
import { clampToFdLimit, parseOpenFileLimit } from "../../lib/core/fd_limit.ts";
import { blockSize, expandIpv4Block, parseIpv4Cidr } from "../../lib/core/ipv4_cidr.ts";
import {
  countPorts,
  hasPortRange,
  parsePortList,
  resolvePortList,
} from "../../lib/core/port_list.ts";
import {
  claimedProbes,
  countPlan,
  isScan,
  isScanPlan,
  planProbes,
  planTargets,
  skipIndexes,
} from "../../lib/probe/plan.ts";
import {
  conditionMet,
  emptyCounts,
  type IpProbeResult,
  probeExitCode,
  type ProbeResult,
  type ProbeSummary,
} from "../../lib/core/probe_result.ts";
import { parseProbeTarget } from "../../lib/probe/target.ts";
import { ClaimCounter } from "../../lib/probe/claims.ts";
import { sizeScan } from "../../lib/probe/sizing.ts";
import type { NetAdapter } from "../../lib/net/types.ts";
import { createRateLimiter } from "../../lib/core/rate_limiter.ts";
import { runSlidingWindow, type WindowControl } from "../../lib/core/sliding_window.ts";
import {
  probeView,
  progressText,
  reasonText,
  summaryText,
} from "../../lib/output/views/probe_view.ts";
import { plainStyle } from "../../lib/output/style.ts";
import { parsePayload, parseRetries } from "../../lib/cli/commands/probe/flags.ts";

const services = new Map([["http", 80], ["ssh", 22], ["https", 443]]);
const lookup = (name: string) => services.get(name);

function rejects(fn: () => unknown, ...fragments: (string | RegExp)[]) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${e}`);
    for (const f of fragments) {
      if (typeof f === "string") assert.ok(e.message.includes(f), `${e.message} lacks ${f}`);
      else assert.match(e.message, f);
    }
    return true;
  });
}

// ---- port lists ---------------------------------------------------------------------------

test("parsePortList() reads ports, ranges and service names", () => {
  const tokens = parsePortList("22,80,8000-8100,http,ssh");
  assert.deepEqual(tokens.map((t) => t.kind), ["range", "range", "range", "name", "name"]);
  assert.deepEqual(resolvePortList(tokens, lookup), [
    { lo: 22, hi: 22 },
    { lo: 80, hi: 80 },
    { lo: 8000, hi: 8100 },
  ]);
});

test("resolvePortList() merges duplicates, overlaps and adjacent ranges", () => {
  const ranges = resolvePortList(parsePortList("443,10-20,15-30,31,https,1"), lookup);
  assert.deepEqual(ranges, [{ lo: 1, hi: 1 }, { lo: 10, hi: 31 }, { lo: 443, hi: 443 }]);
  assert.equal(countPorts(ranges), 1 + 22 + 1);
});

test("parsePortList() accepts the full range 1-65535", () => {
  assert.equal(countPorts(resolvePortList(parsePortList("1-65535"), lookup)), 65535);
});

test("parsePortList() rejects port 0 naming it", () => rejects(() => parsePortList("0"), '"0"'));

test("parsePortList() rejects a port above 65535 naming it", () => {
  rejects(() => parsePortList("22,65536"), '"65536"', "out of range");
});

test("parsePortList() rejects a reversed range naming it", () => {
  rejects(() => parsePortList("100-10"), "reversed", '"100-10"');
});

test("parsePortList() rejects an empty list", () => rejects(() => parsePortList(""), "empty"));

test("parsePortList() rejects an empty element", () => {
  rejects(() => parsePortList("22,,80"), "empty element");
});

test("parsePortList() rejects malformed tokens naming them", () => {
  for (const bad of ["22-", "-5", "1-2-3", "a b", "80/tcp"]) {
    rejects(() => parsePortList(bad), JSON.stringify(bad));
  }
});

test("resolvePortList() rejects an unknown service naming it", () => {
  rejects(() => resolvePortList(parsePortList("22,nosuch"), lookup), '"nosuch"', "unknown service");
});

test("hasPortRange() is true for a range and false for a list", () => {
  assert.equal(hasPortRange(parsePortList("1-1024")), true);
  assert.equal(hasPortRange(parsePortList("22,80,http")), false);
});

// ---- targets ------------------------------------------------------------------------------

test("parseProbeTarget() reads host:port, host:lo-hi and lists", () => {
  const t = parseProbeTarget("db.example:5432");
  assert.equal(t.kind, "host");
  assert.equal(t.kind === "host" && t.host, "db.example");
  const r = parseProbeTarget("127.0.0.1:1-1024");
  assert.ok(r.kind === "host" && r.ports && hasPortRange(r.ports));
  const l = parseProbeTarget("localhost:22,http");
  assert.equal(l.kind === "host" && l.ports?.length, 2);
});

test("parseProbeTarget() reads bracketed and bare IPv6 addresses", () => {
  const b = parseProbeTarget("[::1]:22");
  assert.ok(b.kind === "host" && b.host === "::1" && b.ports?.length === 1);
  const bare = parseProbeTarget("::1");
  assert.ok(bare.kind === "host" && bare.host === "::1" && bare.ports === null);
  const noPort = parseProbeTarget("[fe80::1]");
  assert.ok(noPort.kind === "host" && noPort.ports === null);
});

test("parseProbeTarget() reads unix:/path", () => {
  assert.deepEqual(parseProbeTarget("unix:/run/x.sock"), {
    kind: "unix",
    text: "unix:/run/x.sock",
    path: "/run/x.sock",
  });
});

test("parseProbeTarget() reads a bare host (ports from -p)", () => {
  const t = parseProbeTarget("example.com");
  assert.ok(t.kind === "host" && t.ports === null);
});

test("parseProbeTarget() reads a CIDR block with and without ports, clearing host bits", () => {
  const t = parseProbeTarget("10.0.0.7/24:80");
  assert.ok(t.kind === "block");
  assert.equal(t.block.prefix, 24);
  assert.equal([...expandIpv4Block(t.block)][0], "10.0.0.0");
  assert.equal(parseProbeTarget("192.168.0.0/16").kind, "block");
});

test("parseProbeTarget() rejects a CIDR block wider than /16 naming it", () => {
  rejects(() => parseProbeTarget("10.0.0.0/15"), '"10.0.0.0/15"', "too wide");
});

test("parseProbeTarget() rejects IPv6 CIDR blocks", () => {
  rejects(() => parseProbeTarget("fd00::/120"), "IPv6 CIDR");
});

test("parseProbeTarget() rejects malformed targets naming them", () => {
  for (const bad of ["", "host:", ":80", "[::1", "[nothex]:22", "999.1.1.1:80", "unix:", "a b:1"]) {
    rejects(() => parseProbeTarget(bad), JSON.stringify(bad));
  }
  rejects(() => parseProbeTarget("host:0"), '"0"');
  rejects(() => parseProbeTarget("host:90-80"), "reversed");
  rejects(() => parseProbeTarget("10.0.0.0/33"), "invalid CIDR");
});

// ---- CIDR and plan ------------------------------------------------------------------------

test("expandIpv4Block() walks a /16 lazily from .0.0 to .255.255", () => {
  const block = parseIpv4Cidr("172.16.9.9/16");
  assert.equal(blockSize(block), 65536);
  const it = expandIpv4Block(block);
  assert.equal(it.next().value, "172.16.0.0");
  assert.equal(it.next().value, "172.16.0.1");
  let last = "";
  let n = 2;
  for (const a of it) {
    last = a;
    n++;
  }
  assert.equal(n, 65536);
  assert.equal(last, "172.16.255.255");
});

test("expandIpv4Block() of a /32 is the one address", () => {
  assert.deepEqual([...expandIpv4Block(parseIpv4Cidr("8.8.8.8/32"))], ["8.8.8.8"]);
});

test("planProbes() yields targets in order, ports within hosts, and counts match", () => {
  const planned = [
    { target: parseProbeTarget("10.0.0.0/31"), ports: [{ lo: 22, hi: 23 }], scan: true },
    { target: parseProbeTarget("unix:/x"), ports: null },
    {
      target: parseProbeTarget("h:80"),
      ports: [{ lo: 80, hi: 80 }],
      addresses: ["::1", "127.0.0.1"],
    },
  ];
  const tasks = [...planProbes(planned)];
  assert.deepEqual(
    tasks.map((t) => t.kind === "unix" ? t.path : `${t.host}:${t.port}`),
    ["10.0.0.0:22", "10.0.0.0:23", "10.0.0.1:22", "10.0.0.1:23", "/x", "h:80"],
  );
  assert.deepEqual(tasks.map((t) => t.index), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(tasks[5].addresses, ["::1", "127.0.0.1"]);
  assert.equal(countPlan(planned), 6);
  assert.equal(isScanPlan(planned), true);
  assert.equal(isScanPlan(planned.slice(1)), false);
});

test("planProbes() of a /16 times 65535 ports starts at once (no giant array)", () => {
  const planned = [{ target: parseProbeTarget("10.1.0.0/16"), ports: [{ lo: 1, hi: 65535 }] }];
  assert.equal(countPlan(planned), 65536 * 65535);
  const it = planProbes(planned);
  assert.equal(it.next().value?.port, 1);
  assert.equal(it.next().value?.port, 2);
});

test("claimedProbes() in threads sharing one counter covers every task once, each chunk in order", () => {
  const planned = [{ target: parseProbeTarget("127.0.0.1"), ports: [{ lo: 1, hi: 10 }] }];
  const counter = new ClaimCounter();
  const threads = [0, 1].map(() => claimedProbes(planned, counter, 4));
  const taken: number[][] = [[], []];
  // The threads take turns, one task at a time: each claims a new chunk when its own runs out.
  for (let live = 2; live > 0;) {
    live = 0;
    for (const [n, thread] of threads.entries()) {
      const next = thread.next();
      if (!next.done) {
        taken[n].push(next.value.port!);
        live++;
      }
    }
  }
  assert.deepEqual(taken, [[1, 2, 3, 4, 9, 10], [5, 6, 7, 8]]);
  const ports = taken.flat().sort((a, b) => a - b);
  assert.deepEqual(ports, [...planProbes(planned)].map((t) => t.port));
});

test("a ClaimCounter made from another's buffer shares its count", () => {
  const first = new ClaimCounter();
  const second = new ClaimCounter(first.buffer);
  assert.equal(first.claim(128), 0);
  assert.equal(second.claim(128), 128);
  assert.equal(first.claim(1), 256);
});

test("planTargets() resolves ports per target, -p ports for bare hosts, and marks scans", () => {
  const byName = new Map([["ssh", 22]]);
  const planned = planTargets(
    ["127.0.0.1:80", "::1", "10.0.0.0/30", "unix:/x.sock"],
    parsePortList("ssh,8000-8001"),
    "tcp",
    byName,
    "the test table",
  );
  assert.deepEqual(planned.map((p) => p.ports), [
    [{ lo: 80, hi: 80 }],
    [{ lo: 22, hi: 22 }, { lo: 8000, hi: 8001 }],
    [{ lo: 22, hi: 22 }, { lo: 8000, hi: 8001 }],
    null,
  ]);
  assert.deepEqual(planned.map((p) => p.scan), [false, true, true, false]);
});

test("planTargets() refuses a target without ports, an unknown service and Unix over UDP", () => {
  const none = new Map<string, number>();
  rejects(() => planTargets(["127.0.0.1"], undefined, "tcp", none, "t"), '"127.0.0.1"', "-p");
  rejects(
    () => planTargets(["h:nosuch"], undefined, "tcp", none, "the test table"),
    '"nosuch"',
    "the test table",
  );
  rejects(() => planTargets(["unix:/x"], undefined, "udp", none, "t"), '"unix:/x"', "UDP");
  rejects(() => planTargets([], undefined, "tcp", none, "t"), "no target");
});

test("isScan() is true for a range or a block, also through default ports", () => {
  assert.equal(isScan(["127.0.0.1:1-10"]), true);
  assert.equal(isScan(["10.0.0.0/30:22"]), true);
  assert.equal(isScan(["127.0.0.1"], "20-21"), true);
  assert.equal(isScan(["127.0.0.1:22,80", "unix:/x"]), false);
  assert.equal(isScan(["not a target"]), false);
});

test("skipIndexes() leaves out the settled endpoints", () => {
  const planned = [{ target: parseProbeTarget("127.0.0.1"), ports: [{ lo: 1, hi: 5 }] }];
  const left = [...skipIndexes(planProbes(planned), new Set([0, 2, 4]))];
  assert.deepEqual(left.map((t) => t.port), [2, 4]);
});

// ---- sliding window -----------------------------------------------------------------------

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test("runSlidingWindow() never has more than limit tasks in flight", async () => {
  let inFlight = 0;
  let peak = 0;
  const control: WindowControl = { limit: 4 };
  const ran = await runSlidingWindow({
    tasks: Array.from({ length: 50 }, (_, i) => i),
    control,
    run: async (i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, i % 3));
      inFlight--;
      return i;
    },
    onResult: () => {},
  });
  assert.equal(ran, 50);
  assert.equal(peak, 4);
});

test("runSlidingWindow() replaces a finished task at once instead of waiting for a batch", async () => {
  const slow = deferred();
  const order: string[] = [];
  const done = runSlidingWindow({
    tasks: ["slow", "a", "b", "c", "d"],
    control: { limit: 2 },
    run: async (t) => {
      if (t === "slow") await slow.promise;
      return t;
    },
    onResult: (r) => order.push(r),
  });
  await new Promise((r) => setTimeout(r, 10));
  // With batches of two, "b" would wait for "slow"; with a sliding window all four pass it.
  assert.deepEqual(order, ["a", "b", "c", "d"]);
  slow.resolve();
  await done;
  assert.deepEqual(order, ["a", "b", "c", "d", "slow"]);
});

test("runSlidingWindow() pulls tasks lazily, at most limit ahead", async () => {
  let pulled = 0;
  function* tasks() {
    for (let i = 0; i < 1_000_000; i++) {
      pulled++;
      yield i;
    }
  }
  const gate = deferred();
  const abort = new AbortController();
  const done = runSlidingWindow({
    tasks: tasks(),
    control: { limit: 3 },
    run: async (i) => {
      await gate.promise;
      return i;
    },
    onResult: () => abort.abort(),
    signal: abort.signal,
  });
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(pulled, 3);
  gate.resolve();
  assert.equal(await done, 3);
});

test("runSlidingWindow() retires lanes when a task lowers the limit", async () => {
  let inFlight = 0;
  const peaks: number[] = [];
  const control: WindowControl = { limit: 8 };
  await runSlidingWindow({
    tasks: Array.from({ length: 60 }, (_, i) => i),
    control,
    run: async (i, ctl) => {
      inFlight++;
      if (i === 0) ctl.limit = 2;
      await new Promise((r) => setTimeout(r, 1));
      peaks.push(inFlight);
      inFlight--;
      return i;
    },
    onResult: () => {},
  });
  assert.equal(control.limit, 2);
  assert.ok(peaks.slice(-10).every((p) => p <= 2), `late peaks ${peaks.slice(-10)}`);
});

test("runSlidingWindow() rethrows a task's failure and starts nothing after it", async () => {
  const started: number[] = [];
  await assert.rejects(
    runSlidingWindow({
      tasks: [1, 2, 3, 4, 5, 6],
      control: { limit: 1 },
      run: (i) => {
        started.push(i);
        return i === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(i);
      },
      onResult: () => {},
    }),
    /boom/,
  );
  assert.deepEqual(started, [1, 2]);
});

test("runSlidingWindow() waits as the pace function says before each start", async () => {
  const waits: number[] = [];
  let n = 0;
  await runSlidingWindow({
    tasks: [1, 2, 3],
    control: { limit: 1 },
    run: (i) => Promise.resolve(i),
    onResult: () => {},
    pace: () => (n++) * 10,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  assert.deepEqual(waits, [10, 20]);
});

// ---- scan size ----------------------------------------------------------------------------

/** An adapter as sizeScan sees it: its name and whether timed-out sockets may linger. */
function fakeAdapter(name: NetAdapter["name"], probeSocketsLinger: boolean): NetAdapter {
  return { name, probeSocketsLinger } as NetAdapter;
}

test("sizeScan() keeps the window within the open-file limit, half of it where sockets linger", async () => {
  const bun = await sizeScan({
    adapter: fakeAdapter("bun", true),
    total: 65535,
    threadable: false,
    openFileLimit: 128,
  });
  assert.deepEqual(bun, { shards: 1, shardWindow: 32, shardLinger: 32 });
  const deno = await sizeScan({
    adapter: fakeAdapter("deno", false),
    total: 65535,
    threadable: false,
    concurrency: 1000,
    openFileLimit: 4096,
  });
  assert.deepEqual(deno, { shards: 1, shardWindow: 128, shardLinger: 0 }, "Deno's ceiling");
});

test("sizeScan() splits a threadable plan as asked and never wider than the plan", async () => {
  const size = await sizeScan({
    adapter: fakeAdapter("deno", false),
    total: 10,
    threadable: true,
    threads: 4,
    openFileLimit: 4096,
  });
  assert.deepEqual(size, { shards: 4, shardWindow: 2, shardLinger: 0 });
  const one = await sizeScan({
    adapter: fakeAdapter("bun", false),
    total: 3,
    threadable: false,
    threads: 4,
  });
  assert.deepEqual(one, { shards: 1, shardWindow: 3, shardLinger: 0 });
});

// ---- rate limiter -------------------------------------------------------------------------

test("createRateLimiter() spaces starts evenly at the rate", () => {
  let now = 1000;
  const limiter = createRateLimiter(100, () => now); // one per 10 ms
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.reserve()), [0, 10, 20, 30]);
  now += 100; // idle: no burst builds up
  assert.deepEqual([1, 2].map(() => limiter.reserve()), [0, 10]);
});

// ---- open-file limit ----------------------------------------------------------------------

test("parseOpenFileLimit() reads the soft limit from /proc/self/limits text", () => {
  const text = "Limit                     Soft Limit           Hard Limit           Units     \n" +
    "Max open files            256                  4096                 files     \n";
  assert.equal(parseOpenFileLimit(text), 256);
  assert.equal(
    parseOpenFileLimit("Max open files            unlimited            unlimited    files"),
    Infinity,
  );
  assert.equal(parseOpenFileLimit("nothing here"), undefined);
});

test("clampToFdLimit() keeps room for the runtime and never goes below 1", () => {
  assert.equal(clampToFdLimit(1000, 256), 192);
  assert.equal(clampToFdLimit(100, 256), 100);
  assert.equal(clampToFdLimit(1000, 20), 10);
  assert.equal(clampToFdLimit(1000, 1), 1);
  assert.equal(clampToFdLimit(1000, Infinity), 1000);
});

// ---- results, exit codes, views -----------------------------------------------------------

function result(port: number, state: ProbeResult["state"], code: string | null): IpProbeResult {
  return {
    target: "127.0.0.1:1-3",
    transport: "tcp",
    host: "127.0.0.1",
    address: "127.0.0.1",
    port,
    family: 4,
    service: port === 2 ? "ssh" : null,
    state,
    code,
    latencyMs: state === "filtered" ? null : 0.25,
    attempts: 1,
  };
}

function summary(over: Partial<ProbeSummary> = {}): ProbeSummary {
  return {
    targets: ["127.0.0.1:1-3"],
    protocol: "tcp",
    expect: "open",
    match: "all",
    met: false,
    planned: 3,
    probes: 3,
    counts: { ...emptyCounts(), open: 1, closed: 1, filtered: 1 },
    elapsedMs: 12.5,
    concurrency: 128,
    threads: 1,
    timeoutMs: 1000,
    retries: 0,
    rate: null,
    wait: null,
    ...over,
  };
}

/** The human text of a probe report, as the command prints it at the end. */
function human(
  s: ProbeSummary,
  results: readonly ProbeResult[],
  scan: boolean,
  showAll = false,
  interrupted = false,
): string {
  const view = probeView({ scan, showAll, results: () => results });
  return view.summary({ ...s, program: null }, plainStyle, interrupted);
}

test("conditionMet() needs every endpoint for all and one for any", () => {
  assert.equal(conditionMet(2, 2, "all"), true);
  assert.equal(conditionMet(1, 2, "all"), false);
  assert.equal(conditionMet(0, 0, "all"), false);
  assert.equal(conditionMet(1, 2, "any"), true);
  assert.equal(conditionMet(0, 2, "any"), false);
});

test("probeExitCode() is 0 when met, 3 for errors in a one-shot run, else 1", () => {
  assert.equal(probeExitCode(summary({ met: true })), 0);
  assert.equal(probeExitCode(summary()), 1);
  const errors = { ...emptyCounts(), error: 1 };
  assert.equal(probeExitCode(summary({ counts: errors })), 3);
  const wait = { timeoutMs: 1000, intervalMs: 100, rounds: 3, waitedMs: 1000 };
  assert.equal(probeExitCode(summary({ counts: errors, wait })), 1);
});

test("probeView shows only open rows of a scan, with a summary naming what is hidden", () => {
  const results = [
    result(1, "closed", "ECONNREFUSED"),
    result(2, "open", null),
    result(3, "filtered", "ETIMEDOUT"),
  ];
  const lines = human(summary(), results, true).trimEnd().split("\n");
  assert.match(lines[0], /^ENDPOINT\s+STATE\s+SERVICE\s+LATENCY\s+REASON$/);
  assert.match(lines[1], /^127\.0\.0\.1:2\s+open\s+ssh\s+0\.25 ms\s+connected$/);
  assert.equal(lines.length, 3);
  assert.match(lines[2], /1 open, 1 closed, 1 filtered \(2 not open not shown; --all shows them\)/);
});

test("probeView --all shows every state with its reason", () => {
  const results = [
    result(1, "closed", "ECONNREFUSED"),
    result(2, "open", null),
    result(3, "filtered", "ETIMEDOUT"),
  ];
  const text = human(summary(), results, true, true);
  assert.match(text, /127\.0\.0\.1:1\s+closed\s+-\s+0\.25 ms\s+refused/);
  assert.match(text, /127\.0\.0\.1:3\s+filtered\s+-\s+-\s+no answer within 1s/);
});

test("probeView prints nothing but the table for one endpoint, and its item text is empty", () => {
  const one = summary({ planned: 1, probes: 1, counts: { ...emptyCounts(), open: 1 } });
  const text = human(one, [result(2, "open", null)], false);
  assert.equal(text.trimEnd().split("\n").length, 2);
  assert.equal(
    probeView({ scan: false, showAll: false, results: () => [] }).item(
      result(2, "open", null),
      plainStyle,
    ),
    "",
  );
});

test("probeView says how much an interrupted run probed", () => {
  const partial = summary({ planned: 10, probes: 3 });
  const text = human(partial, [result(2, "open", null)], true, false, true);
  assert.match(text, /probed 3 of 10 endpoints in 12\.5 ms: .*; interrupted/);
});

test("probeView escapes control characters in hosts and Unix paths", () => {
  const unix: ProbeResult = {
    target: "unix:/tmp/a\x1b[2Jb",
    transport: "unix",
    path: "/tmp/a\x1b[2Jb",
    state: "closed",
    code: "ENOENT",
    latencyMs: 0.1,
    attempts: 1,
  };
  const text = human(summary({ planned: 1, probes: 1 }), [unix], false);
  assert.ok(!text.includes("\x1b"), JSON.stringify(text));
  assert.match(text, /unix:\/tmp\/a\\e\[2Jb\s+closed\s+-\s+0\.10 ms\s+no such socket file/);
});

test("reasonText() tells UDP silence apart by whether ICMP is visible", () => {
  const udp = (icmpVisible: boolean): ProbeResult => ({
    ...result(53, "open|filtered", "ETIMEDOUT"),
    transport: "udp",
    icmpVisible,
  });
  assert.equal(reasonText(udp(true), 1000), "no reply");
  assert.match(reasonText(udp(false), 1000), /cannot see ICMP port-unreachable/);
  const reply = { ...result(53, "open", null), transport: "udp" as const, replyBytes: 1500 };
  assert.equal(reasonText(reply, 1000), "reply of 1.50 kB");
});

test("summaryText() reports a wait that reached its deadline", () => {
  const wait = { timeoutMs: 2000, intervalMs: 500, rounds: 4, waitedMs: 2000 };
  const line = summaryText(
    summary({ wait, planned: 1, probes: 1, counts: { ...emptyCounts(), closed: 1 } }),
    { scan: false, showAll: false },
  );
  assert.match(line, /deadline reached after 2\.00 s \(4 rounds\); wanted every endpoint open/);
});

test("progressText() shows a scan's share and a wait's round", () => {
  const p = { planned: 200, done: 50, satisfied: 2, round: 1, remainingMs: null };
  assert.equal(progressText(p, "open"), "probing 50/200 (25%), 2 open");
  assert.equal(
    progressText({ ...p, round: 3, remainingMs: 4100 }, "open"),
    "waiting: round 3, 2/200 open, 5s left",
  );
});

test("parsePayload() reads 0x-hex as bytes and other text with escapes", () => {
  assert.deepEqual([...parsePayload("0x00ff")], [0, 255]);
  assert.deepEqual([...parsePayload("hi\\n")], [104, 105, 10]);
  assert.deepEqual([...parsePayload("0x")], [48, 120]);
});

test("parseRetries() takes 0 to 10 and refuses anything else naming it", () => {
  assert.equal(parseRetries("10"), 10);
  rejects(() => parseRetries("11"), '"11"');
  rejects(() => parseRetries("-1"), '"-1"');
});

test("the probe worker is found from lib/ in the source and from the root of a split bundle", async () => {
  const { workerUrl } = await import("../../lib/probe/threads.ts");
  assert.equal(
    workerUrl("file:///src/netdiag/lib/probe/threads.ts"),
    "file:///src/netdiag/lib/probe/worker.ts",
  );
  assert.equal(
    workerUrl("file:///$bunfs/root/lib/cli/run.js"),
    "file:///$bunfs/root/lib/probe/worker.ts",
  );
  assert.equal(
    workerUrl("file:///$bunfs/root/chunk-x1.js"),
    "file:///$bunfs/root/lib/probe/worker.ts",
  );
});

/** probeEndpoint() against a scripted fake adapter: states, self-connects, retries, EMFILE, aborts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AttemptAborted,
  type AttemptOptions,
  type AttemptWindow,
  isLoopback,
  probeEndpoint,
  withoutAborted,
} from "../../lib/probe/attempt.ts";
import type { ProbeTask } from "../../lib/probe/plan.ts";
import type { IpProbeResult, ProbeResult } from "../../lib/core/probe_result.ts";
import {
  type Connection,
  type ConnectOptions,
  type DatagramSocket,
  type NetAdapter,
  NetError,
  type NetErrorCode,
} from "../../lib/net/types.ts";

type Step = { localPort: number } | NetErrorCode;

/** A fake adapter whose connects and probe connects answer from a script, one step per call. */
function scripted(steps: Step[], datagram?: Partial<DatagramSocket>) {
  const calls: ConnectOptions[] = [];
  const adapter: NetAdapter = {
    name: "node",
    connect(options) {
      calls.push(options);
      const step = steps.shift();
      if (step === undefined) throw new Error("unexpected connect");
      if (typeof step === "string") {
        return Promise.reject(new NetError(step, "connect", "x"));
      }
      const remote = options.transport === "tcp"
        ? { transport: "tcp" as const, hostname: options.hostname, port: options.port }
        : { transport: "unix" as const, path: options.path };
      const conn: Connection = {
        localAddr: { transport: "tcp", hostname: "127.0.0.1", port: step.localPort },
        remoteAddr: remote,
        read: () => Promise.resolve(null),
        readChunk: () => Promise.resolve(null),
        write: () => Promise.resolve(),
        closeWrite: () => Promise.resolve(),
        close: () => {},
        setNoDelay: () => {},
      };
      return Promise.resolve(conn);
    },
    probeConnect(options) {
      calls.push({ transport: "tcp", ...options });
      const step = steps.shift();
      if (step === undefined) throw new Error("unexpected connect");
      if (typeof step === "string") return Promise.resolve({ ok: false, code: step, latencyMs: 1 });
      return Promise.resolve({ ok: true, localPort: step.localPort, latencyMs: 1 });
    },
    probeSocketsLinger: false,
    listen: () => Promise.reject(new Error("unused")),
    bindDatagram: () =>
      Promise.resolve({
        addr: { transport: "udp", hostname: "127.0.0.1", port: 40000 },
        reportsUnreachable: false,
        send: () => Promise.resolve(),
        receive: (signal?: AbortSignal) =>
          new Promise((_, reject) =>
            signal?.addEventListener("abort", () => reject(new NetError("ABORTED", "receive", "x")))
          ),
        close: () => {},
        ...datagram,
      } as DatagramSocket),
  };
  return { adapter, calls };
}

/** The result as an IP result (failing the test for a Unix one). */
function ip(r: ProbeResult): IpProbeResult {
  assert.notEqual(r.transport, "unix");
  return r as IpProbeResult;
}

function task(port: number, addresses = ["127.0.0.1"]): ProbeTask {
  return {
    index: 0,
    target: `t:${port}`,
    kind: "ip",
    host: "t",
    addresses,
    port,
    path: null,
  };
}

const options: AttemptOptions = {
  protocol: "tcp",
  timeoutMs: 50,
  retries: 0,
  payload: new Uint8Array(0),
  serviceOf: (port) => (port === 22 ? "ssh" : null),
};

test("probeEndpoint() reports a connect as open with its service", async () => {
  const { adapter } = scripted([{ localPort: 40001 }]);
  const r = await probeEndpoint(adapter, task(22), { limit: 1 }, options);
  assert.equal(r.state, "open");
  assert.equal(ip(r).service, "ssh");
  assert.equal(r.code, null);
  assert.equal(r.attempts, 1);
  assert.equal(typeof r.latencyMs, "number");
});

test("probeEndpoint() reports a loopback self-connect as closed, not open", async () => {
  const { adapter } = scripted([{ localPort: 45000 }]);
  const r = await probeEndpoint(adapter, task(45000), { limit: 1 }, options);
  assert.equal(r.state, "closed");
  assert.equal(r.code, "SELF_CONNECT");
});

test("probeEndpoint() does not treat equal ports on a remote address as a self-connect", async () => {
  const { adapter } = scripted([{ localPort: 45000 }]);
  const r = await probeEndpoint(adapter, task(45000, ["192.0.2.1"]), { limit: 1 }, options);
  assert.equal(r.state, "open");
});

test("probeEndpoint() reports refused as closed and does not retry it", async () => {
  const { adapter, calls } = scripted(["ECONNREFUSED"]);
  const r = await probeEndpoint(adapter, task(81), { limit: 1 }, { ...options, retries: 3 });
  assert.equal(r.state, "closed");
  assert.equal(r.code, "ECONNREFUSED");
  assert.equal(calls.length, 1);
});

test("probeEndpoint() retries a timeout --retries times, then reports filtered", async () => {
  const { adapter, calls } = scripted(["ETIMEDOUT", "ETIMEDOUT", "ETIMEDOUT"]);
  const r = await probeEndpoint(adapter, task(81), { limit: 1 }, { ...options, retries: 2 });
  assert.equal(r.state, "filtered");
  assert.equal(r.attempts, 3);
  assert.equal(calls.length, 3);
  assert.equal(calls[0].timeoutMs, 50);
});

test("probeEndpoint() reports other system errors as error with the code", async () => {
  const { adapter } = scripted(["EHOSTUNREACH"]);
  const r = await probeEndpoint(adapter, task(81, ["192.0.2.1"]), { limit: 1 }, options);
  assert.equal(r.state, "error");
  assert.equal(r.code, "EHOSTUNREACH");
});

test("probeEndpoint() waits out EMFILE, shrinks the window and still answers", async () => {
  const { adapter, calls } = scripted(["EMFILE", "EMFILE", { localPort: 40002 }]);
  const control: AttemptWindow = { limit: 100 };
  const r = await probeEndpoint(adapter, task(80), control, options);
  assert.equal(r.state, "open");
  assert.equal(r.attempts, 1, "EMFILE waits are not attempts");
  assert.equal(calls.length, 3);
  assert.ok(control.limit < 100, `window ${control.limit}`);
});

test("probeEndpoint() shrinks each window on its own (no state shared between scans)", async () => {
  const a: AttemptWindow = { limit: 100 };
  const b: AttemptWindow = { limit: 100 };
  await probeEndpoint(scripted(["EMFILE", { localPort: 40002 }]).adapter, task(80), a, options);
  await probeEndpoint(scripted(["EMFILE", { localPort: 40002 }]).adapter, task(80), b, options);
  assert.deepEqual([a.limit, b.limit], [90, 90], "the second window shrank too");
});

test("probeEndpoint() starts no retry once its signal is aborted", async () => {
  const { adapter, calls } = scripted(["ETIMEDOUT", "ETIMEDOUT", "ETIMEDOUT"]);
  const abort = new AbortController();
  abort.abort();
  const r = await probeEndpoint(adapter, task(81), { limit: 1 }, {
    ...options,
    retries: 2,
    signal: abort.signal,
  });
  assert.deepEqual([r.state, r.attempts, calls.length], ["filtered", 1, 1]);
});

test("probeEndpoint() ends a UDP wait at the abort with AttemptAborted, not a state", async () => {
  const { adapter } = scripted([]);
  const abort = new AbortController();
  const started = performance.now();
  const pending = probeEndpoint(adapter, task(53), { limit: 1 }, {
    ...options,
    protocol: "udp",
    timeoutMs: 5000,
    signal: abort.signal,
  });
  setTimeout(() => abort.abort(), 20);
  await assert.rejects(pending, AttemptAborted);
  assert.ok(performance.now() - started < 2000, "the abort cut the 5 s wait short");
  assert.equal(await withoutAborted(Promise.reject(new AttemptAborted())), undefined);
});

test("probeEndpoint() stops waiting for a descriptor once aborted", async () => {
  const { adapter, calls } = scripted(["EMFILE", "EMFILE", "EMFILE"]);
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(
    probeEndpoint(adapter, task(80), { limit: 4 }, { ...options, signal: abort.signal }),
    AttemptAborted,
  );
  assert.equal(calls.length, 1);
});

test("probeEndpoint() tries a name's addresses in order until one is open", async () => {
  const { adapter, calls } = scripted(["ECONNREFUSED", { localPort: 40003 }]);
  const r = await probeEndpoint(adapter, task(5432, ["::1", "127.0.0.1"]), { limit: 1 }, options);
  assert.equal(r.state, "open");
  assert.deepEqual([ip(r).address, ip(r).family], ["127.0.0.1", 4]);
  assert.deepEqual(calls.map((c) => c.transport === "tcp" && c.hostname), ["::1", "127.0.0.1"]);
});

test("probeEndpoint() reports the first address when none is open", async () => {
  const { adapter } = scripted(["ECONNREFUSED", "ETIMEDOUT"]);
  const r = await probeEndpoint(adapter, task(5432, ["::1", "127.0.0.1"]), { limit: 1 }, options);
  assert.equal(r.state, "closed");
  assert.deepEqual([ip(r).address, ip(r).family], ["::1", 6]);
});

test("probeEndpoint() reports an unresolved name as error ENOTFOUND without connecting", async () => {
  const { adapter, calls } = scripted([]);
  const r = await probeEndpoint(adapter, task(80, []), { limit: 1 }, options);
  assert.equal(r.state, "error");
  assert.equal(r.code, "ENOTFOUND");
  assert.deepEqual([ip(r).address, ip(r).family], [null, null]);
  assert.equal(calls.length, 0);
});

test("probeEndpoint() UDP silence is open|filtered and says when ICMP is invisible", async () => {
  const { adapter } = scripted([]);
  const r = await probeEndpoint(adapter, task(53), { limit: 1 }, {
    ...options,
    protocol: "udp",
    retries: 1,
  });
  assert.equal(r.state, "open|filtered");
  assert.equal(ip(r).icmpVisible, false);
  assert.equal(r.attempts, 2);
});

test("probeEndpoint() UDP port-unreachable is closed where the runtime sees it", async () => {
  const { adapter } = scripted([], {
    reportsUnreachable: true,
    receive: () => Promise.reject(new NetError("ECONNREFUSED", "receive", "x")),
  });
  const r = await probeEndpoint(adapter, task(53), { limit: 1 }, { ...options, protocol: "udp" });
  assert.equal(r.state, "closed");
  assert.equal(ip(r).icmpVisible, true);
});

test("probeEndpoint() UDP reply from the peer is open with its size", async () => {
  const { adapter } = scripted([], {
    receive: () =>
      Promise.resolve({ data: new Uint8Array(3), from: { hostname: "127.0.0.1", port: 53 } }),
  });
  const r = await probeEndpoint(adapter, task(53), { limit: 1 }, { ...options, protocol: "udp" });
  assert.equal(r.state, "open");
  assert.equal(ip(r).replyBytes, 3);
});

test("probeEndpoint() reports a Unix socket reset while connecting as open", async () => {
  const { adapter } = scripted(["ECONNRESET"]);
  const unix: ProbeTask = { ...task(0), kind: "unix", port: null, path: "/x.sock", addresses: [] };
  const r = await probeEndpoint(adapter, unix, { limit: 1 }, options);
  assert.deepEqual([r.state, r.code, r.transport], ["open", null, "unix"]);
});

test("isLoopback() knows 127/8 and ::1 only", () => {
  assert.ok(isLoopback("127.0.0.1") && isLoopback("127.3.2.1") && isLoopback("::1"));
  assert.ok(isLoopback("::ffff:127.0.0.1"));
  assert.ok(!isLoopback("10.0.0.1") && !isLoopback("::2") && !isLoopback("128.0.0.1"));
});

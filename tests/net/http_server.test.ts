/**
 * lib/net/http_server.ts on the running runtime (Deno.serve under Deno, Bun.serve under Bun):
 * it answers, reports its bound port and the peer's address, bounds URLs and bodies, turns a
 * throwing handler into one-line 500s, stops on its signal and reports a taken port as EADDRINUSE.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveHttp, textResponse } from "../../lib/net/http_server.ts";
import { NetError } from "../../lib/net/mod.ts";

async function started(handler: Parameters<typeof serveHttp>[0]["handler"]) {
  const controller = new AbortController();
  const server = await serveHttp({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    handler,
    maxUrlBytes: 100,
    maxBodyBytes: 10,
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return { server, base, stop: () => (controller.abort(), server.finished) };
}

test("serveHttp answers on a picked port with the peer's address", async () => {
  const s = await started((req, info) => textResponse(200, `${req.method} ${info.remoteAddress}`));
  try {
    assert.ok(s.server.addr.port > 0);
    const res = await fetch(`${s.base}/x`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "GET 127.0.0.1");
  } finally {
    await s.stop();
  }
});

test("serveHttp refuses long URLs (414) and large declared bodies (413)", async () => {
  let calls = 0;
  const s = await started(() => (calls++, textResponse(200, "ok")));
  try {
    const long = await fetch(`${s.base}/?q=${"a".repeat(200)}`);
    assert.equal(long.status, 414);
    await long.body?.cancel();
    const big = await fetch(`${s.base}/`, { method: "POST", body: "x".repeat(50) });
    assert.equal(big.status, 413);
    await big.body?.cancel();
    assert.equal(calls, 0, "the handler never saw them");
  } finally {
    await s.stop();
  }
});

test("serveHttp answers a throwing handler with a one-line 500, no stack", async () => {
  const s = await started(() => {
    throw new TypeError("boom at secret/path.ts:1");
  });
  try {
    const res = await fetch(s.base);
    assert.equal(res.status, 500);
    const body = await res.text();
    assert.equal(body, "Internal error: TypeError\n");
  } finally {
    await s.stop();
  }
});

test("serveHttp stops on its signal; a taken port is EADDRINUSE", async () => {
  const s = await started(() => textResponse(200, "ok"));
  const controller = new AbortController();
  await assert.rejects(
    serveHttp({
      hostname: "127.0.0.1",
      port: s.server.addr.port,
      signal: controller.signal,
      handler: () => textResponse(200, "x"),
    }),
    (e: unknown) => e instanceof NetError && e.code === "EADDRINUSE" && e.operation === "listen",
  );
  await s.stop();
  await assert.rejects(fetch(s.base));
});

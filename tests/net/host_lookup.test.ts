import { test } from "node:test";
import assert from "node:assert/strict";
import { lookupHost } from "../../lib/net/host_lookup.ts";
import { InputError, OperationalError } from "../../lib/core/errors.ts";

test("lookupHost() returns IP literals as they are, brackets removed", async () => {
  assert.deepEqual(await lookupHost("127.0.0.1"), [{ address: "127.0.0.1", family: 4 }]);
  assert.deepEqual(await lookupHost("[::1]"), [{ address: "::1", family: 6 }]);
});

test("lookupHost() refuses a literal of the other family as a usage error", async () => {
  await assert.rejects(
    lookupHost("::1", { family: 4 }),
    (e: Error) => e instanceof InputError && /not an IPv4 address/.test(e.message),
  );
});

test("lookupHost() resolves localhost through the system resolver (/etc/hosts)", async () => {
  const found = await lookupHost("localhost");
  assert.ok(found.length > 0);
  assert.ok(
    found.some((a) => a.address === "127.0.0.1" || a.address === "::1"),
    JSON.stringify(found),
  );
});

test("lookupHost() reports an unknown name as an operational error naming it", async () => {
  await assert.rejects(
    lookupHost("nosuch.invalid"),
    (e: Error) =>
      e instanceof OperationalError && /^cannot resolve "nosuch\.invalid": /.test(e.message),
  );
});

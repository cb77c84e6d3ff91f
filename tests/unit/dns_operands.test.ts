import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { groupOperands, isTypeOperand } from "../../lib/cli/commands/dns/operands.ts";
import { InputError, OperationalError } from "../../lib/core/errors.ts";
import { dnsServerOfFamily } from "../../lib/resolve/server_family.ts";

test("dns operands: each NAME takes the types after it, as dig reads them", () => {
  assert.deepEqual(groupOperands(["a.test", "b.test", "MX", "c.test", "aaaa", "TXT"]), [
    { name: "a.test", types: [] },
    { name: "b.test", types: ["MX"] },
    { name: "c.test", types: ["aaaa", "TXT"] },
  ]);
  assert.deepEqual(groupOperands(["mx", "mx.", "-", "A"]), [
    { name: "mx", types: [] },
    { name: "mx.", types: [] },
    { name: "-", types: ["A"] },
  ]);
});

test("dns operands: a capitalised word is a type, so an unknown one is refused", () => {
  assert.equal(isTypeOperand("HTTPS"), true);
  assert.equal(isTypeOperand("localhost"), false);
  assert.throws(() => groupOperands(["a.test", "HTTPS"]), /unknown record type "HTTPS"/);
  assert.throws(() => groupOperands(["a.test", "b..test"]), InputError);
});

test("dns -4/-6: the server of the family, from --server or resolv.conf", async () => {
  const dir = await mkdtemp(join(tmpdir(), "netdiag-resolv-"));
  try {
    const conf = join(dir, "resolv.conf");
    await writeFile(conf, "nameserver 10.0.0.53\nnameserver fd00::53\n");
    const v6 = await dnsServerOfFamily({ family: 6, resolvConfPath: conf });
    assert.deepEqual(v6, { hostname: "fd00::53", port: 53 });
    const v4 = await dnsServerOfFamily({ family: 4, resolvConfPath: conf });
    assert.deepEqual(v4, { hostname: "10.0.0.53", port: 53 });
    const only4 = join(dir, "only4.conf");
    await writeFile(only4, "nameserver 10.0.0.53\n");
    await assert.rejects(
      dnsServerOfFamily({ family: 6, resolvConfPath: only4 }),
      (e) => e instanceof OperationalError && /no IPv6 DNS server/.test(e.message),
    );
    const none = await dnsServerOfFamily({ family: 6, resolvConfPath: join(dir, "missing") });
    assert.deepEqual(none, { hostname: "::1", port: 53 });
    await assert.rejects(
      dnsServerOfFamily({ family: 6, server: { hostname: "127.0.0.1", port: 53 } }),
      /cannot use DNS server "127\.0\.0\.1": not an IPv6 address/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

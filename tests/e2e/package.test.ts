/**
 * The packages: `deno publish --dry-run` accepts the JSR package (the library only), and the npm
 * tarball installs into a fresh project where Bun imports `probe` by the package's name.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { bunPath, denoPath, jsonLines, run } from "../library/run.ts";

/** Paths (relative to the root) that must not ship: the CLI, its renderers, tests, scripts. */
const NOT_SHIPPED = /^(lib\/cli\/|lib\/output\/|tests\/|scripts\/|main\.ts$|dist\/|node_modules\/)/;

test("deno.json's npm imports pin the versions package.json depends on", () => {
  const deno = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const pinned = Object.entries(deno.imports as Record<string, string>).map(([key, target]) => {
    const m = /^npm:\/?(@?[^@]+)@([^/]+)\/?$/.exec(target);
    assert.ok(m, `deno.json imports ${key}: ${target} is an npm: specifier with a version`);
    return [m[1], m[2]];
  });
  assert.deepEqual(
    Object.fromEntries(pinned),
    pkg.dependencies,
    "every dependency of package.json, at the same version",
  );
});

test("deno publish --dry-run accepts the package, and it holds the library only", async () => {
  const r = await run(denoPath(), ["publish", "--dry-run", "--allow-dirty"], {
    timeoutMs: 120_000,
  });
  const output = r.stdout + r.stderr;
  assert.equal(r.code, 0, output);
  assert.match(output, /Success Dry run complete/);
  const files = [...output.matchAll(/file:\/\/\/\S+/g)]
    .map((m) => m[0].slice(`file://${ROOT}/`.length));
  assert.ok(files.includes("mod.ts") && files.includes("lib/api/probe.ts"), output);
  assert.deepEqual(files.filter((f) => NOT_SHIPPED.test(f)), []);
});

/** The fields of a package-lock.json entry this test reads. */
interface LockEntry {
  readonly version: string;
  readonly resolved?: string;
  readonly dev?: boolean;
}

/**
 * A lockfile for a project depending on the tarball alone: the tarball's entry, and the
 * repository's own locked production packages with their registry URLs. `npm ci --offline` then
 * needs only tarballs, which the repository's install put in the npm cache. (`npm install
 * --offline <tarball>` needs the dependencies' full registry documents, and an install from a
 * lockfile caches only abbreviated ones: measured ENOTCACHED with npm 11.)
 */
function lockfileFor(tarball: string, name: string): object {
  const repoLock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const integrity = "sha512-" + createHash("sha512").update(readFileSync(tarball)).digest("base64");
  const packages: Record<string, unknown> = {
    "": { name, dependencies: { netdiag: `file:${tarball}` } },
    "node_modules/netdiag": {
      version: pkg.version,
      resolved: `file:${tarball}`,
      integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
    },
  };
  const locked = repoLock.packages as Record<string, LockEntry>;
  for (const [path, entry] of Object.entries(locked)) {
    if (path === "" || entry.dev) continue;
    const dep = path.slice("node_modules/".length);
    const resolved = entry.resolved ??
      `https://registry.npmjs.org/${dep}/-/${dep.split("/").pop()}-${entry.version}.tgz`;
    packages[path] = { ...entry, resolved };
  }
  return { name, lockfileVersion: 3, requires: true, packages };
}

test("the npm tarball installs offline into a new project, and Bun imports probe from it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-pack-"));
  try {
    const packed = await run("npm", ["pack", "--json", "--pack-destination", dir]);
    assert.equal(packed.code, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = info.files.map((f) => f.path);
    assert.ok(shipped.includes("mod.ts") && shipped.includes("lib/api/probe.ts"), packed.stdout);
    assert.deepEqual(shipped.filter((f) => NOT_SHIPPED.test(f)), []);

    const project = join(dir, "project");
    const tarball = join(dir, info.filename);
    mkdirSync(project);
    const name = "netdiag-user-project";
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name,
        private: true,
        type: "module",
        dependencies: { netdiag: `file:${tarball}` },
      }),
    );
    writeFileSync(join(project, "package-lock.json"), JSON.stringify(lockfileFor(tarball, name)));
    const installed = await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], {
      cwd: project,
      timeoutMs: 120_000,
    });
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);

    copyFileSync(
      join(ROOT, "tests", "library", "package_probe.ts"),
      join(project, "probe.ts"),
    );
    const r = await run(bunPath(), ["run", "probe.ts"], { cwd: project });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(jsonLines(r.stdout), [{ states: ["open", "closed"], open: 1, closed: 1 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

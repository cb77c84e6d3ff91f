/**
 * The windows-x64 executable of the release under wine, where wine can start it. Skipped, with
 * the reason printed, when the release has no windows-x64 archive (scripts/test builds only
 * linux-x64 and linux-arm64), when wine is not installed, or when wine cannot start it: Debian
 * 12's wine 8.0 lacks bcryptprimitives.dll, which Bun's Windows executables import (measured:
 * `import_dll Library bcryptprimitives.dll … not found`, status c0000135, exit 53).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "../support/paths.ts";
import { archiveFor, givenReleaseDir } from "./release_dir.ts";
import { run, unpackExecutable } from "./run_executable.ts";
import { removeAtExit } from "./cleanup.ts";

const WINES = ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"];

// Only a given release can hold windows-x64: the one release_dir.ts builds itself does not.
const given = givenReleaseDir();
const archive = given ? archiveFor("windows-x64", given) : undefined;
const wine = WINES.find((w) => existsSync(w));
const exe = archive && wine ? unpackExecutable(archive) : undefined;
const prefix = exe ? removeAtExit(mkdtempSync(join(tmpdir(), "netdiag-wine-"))) : "";

function underWine(args: readonly string[]) {
  return run(wine!, [exe!, ...args], {
    env: { WINEPREFIX: prefix, WINEDEBUG: "-all,err+module" },
    timeoutMs: 300_000,
  });
}

let skip: string | false = false;
let first: Awaited<ReturnType<typeof underWine>> | undefined;
if (!archive) {
  skip = `no windows-x64 archive in ${given ?? "the release (NETDIAG_RELEASE_DIR is not set)"}` +
    " (scripts/test_release builds every target)";
} else if (!wine) {
  skip = `wine is not installed (none of ${WINES.join(", ")})`;
} else {
  first = await underWine(["htons", "20000"]);
  const missing = /import_dll (Library \S+ \(which is needed by [^)]*\) not found)/.exec(
    first.stderr,
  );
  if (first.code !== 0 && missing) skip = `wine cannot start netdiag.exe: ${missing[1]}`;
}
if (skip) console.log(`windows-x64 under wine: skipped: ${skip}`);

test("windows-x64 under wine: htons 20000 prints 8270 and --version names windows-x64", {
  skip,
}, async () => {
  assert.equal(first!.code, 0, first!.stderr);
  assert.equal(first!.stdout.replace(/\r\n/g, "\n"), "8270\n");
  const r = await underWine(["--version", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.target, "windows-x64");
  assert.equal(info.runtime, "bun");
});

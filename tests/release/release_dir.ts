/**
 * The release the release tests check. `NETDIAG_RELEASE_DIR` names it (scripts/test makes a
 * linux-x64 + linux-arm64 release first, scripts/test_release every target); without it, the
 * first call builds one into a temporary directory with `scripts/release --targets
 * linux-x64,linux-arm64` (packaging dist/netdiag as linux-x64 when it exists).
 * `NETDIAG_RELEASE_TARGETS` (comma-separated) lists the targets the release must hold.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { BINARY, ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { removeAtExit } from "./cleanup.ts";

/** Every target scripts/release builds by default. */
export const ALL_TARGETS: readonly string[] = [
  "linux-x64",
  "linux-x64-musl",
  "linux-arm64",
  "linux-arm64-musl",
  "darwin-x64",
  "darwin-arm64",
  "windows-x64",
];

/** One line of SHA256SUMS: an archive and what it holds. */
export interface ReleaseArchive {
  /** The file name, e.g. `netdiag-0.1.0-linux-x64.tar.gz`. */
  readonly file: string;
  /** Its path. */
  readonly path: string;
  /** The SHA-256 SHA256SUMS gives. */
  readonly sha256: string;
  /** `netdiag-0.1.0-linux-x64`: the directory inside the archive. */
  readonly stem: string;
  /** The target, e.g. `linux-x64`. */
  readonly target: string;
  /** `bun` (`bun build --compile`) or `deno` (`deno compile`, name ends in `-deno`). */
  readonly compiler: "bun" | "deno";
  /** The executable's path inside the archive. */
  readonly executable: string;
}

const env = process.env;
let built: string | undefined;

function setting(name: string): string | undefined {
  const value = env[name];
  return value ? value : undefined;
}

/** package.json's version. */
export const VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;

/** NETDIAG_RELEASE_DIR as an absolute path, or undefined. */
export function givenReleaseDir(): string | undefined {
  const given = setting("NETDIAG_RELEASE_DIR");
  if (!given) return undefined;
  return given.startsWith("/") ? given : join(ROOT, given);
}

/**
 * The release directory: NETDIAG_RELEASE_DIR, or one built now (once per test file, removed when
 * the test process ends).
 */
export function releaseDir(): string {
  const given = givenReleaseDir();
  if (given) return given;
  if (built) return built;
  const out = removeAtExit(mkdtempSync(join(tmpdir(), "netdiag-release-")));
  const args = ["scripts/release", "--targets", "linux-x64,linux-arm64", "--out", out];
  if (existsSync(BINARY)) args.push("--prebuilt", `linux-x64=${BINARY}`);
  const r = spawnSync("bash", args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`scripts/release ${args.join(" ")} failed (${r.status})`);
  built = out;
  return out;
}

/** The targets the release must hold: NETDIAG_RELEASE_TARGETS, or those built here. */
export function expectedTargets(): string[] | undefined {
  const given = setting("NETDIAG_RELEASE_TARGETS");
  if (given === "all") return [...ALL_TARGETS];
  if (given) return given.split(",").map((t) => t.trim());
  return setting("NETDIAG_RELEASE_DIR") ? undefined : ["linux-x64", "linux-arm64"];
}

const LINE = /^([0-9a-f]{64}) {2}(netdiag-(.+)\.(tar\.gz|zip))$/;

/** The archives SHA256SUMS lists, in its order; throws on a line of another shape. */
export function releaseArchives(dir: string = releaseDir()): ReleaseArchive[] {
  const text = readFileSync(join(dir, "SHA256SUMS"), "utf8");
  return text.trimEnd().split("\n").map((line) => {
    const m = LINE.exec(line);
    if (!m) throw new Error(`SHA256SUMS: unexpected line ${JSON.stringify(line)}`);
    const [, sha256, file, rest] = m;
    const stem = `netdiag-${rest}`;
    if (!rest.startsWith(`${VERSION}-`)) throw new Error(`${file} is not version ${VERSION}`);
    const tail = rest.slice(VERSION.length + 1);
    const compiler = tail.endsWith("-deno") ? "deno" : "bun";
    const target = compiler === "deno" ? tail.slice(0, -"-deno".length) : tail;
    const exe = target.startsWith("windows-") ? "netdiag.exe" : "netdiag";
    return {
      file,
      path: join(dir, file),
      sha256,
      stem,
      target,
      compiler,
      executable: `${stem}/${exe}`,
    };
  });
}

/** The archive for a target (the `bun build --compile` one), or undefined. */
export function archiveFor(target: string, dir: string = releaseDir()): ReleaseArchive | undefined {
  return releaseArchives(dir).find((a) => a.target === target && a.compiler === "bun");
}

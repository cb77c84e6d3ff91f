/**
 * What `netdiag --version` says: which netdiag this is, how it was built and what it runs on,
 * e.g. `netdiag 0.2.0 (abc1234, 2026-11-29) bun 1.4.5 linux-arm64` for a compiled binary and
 * `netdiag 0.1.0 (source) deno 2.9.6 linux-x64` under `deno run`. Cheap to load: the fast path
 * (lib/cli/fast_path.ts) answers `--version` with it, without the CLI framework.
 * @module
 */
import { BUILD_INFO, type BuildInfo } from "../build_info.ts";
import type { View } from "../output/emit.ts";
import { type RuntimeName, runtimeName, runtimeVersion } from "../runtime/runtime.ts";
import { VERSION } from "../version.ts";

/** The facts `--version` prints; `--version --json` prints this object. */
export interface VersionReport {
  /** Always `netdiag`. */
  readonly name: "netdiag";
  /** netdiag's version (package.json's). */
  readonly version: string;
  /** `compiled` for a built executable, `source` when run from the source tree. */
  readonly build: "compiled" | "source";
  /** The git commit it was built from (short hash, `-dirty` suffix), or null from source. */
  readonly commit: string | null;
  /** The build date (ISO 8601 UTC, the commit's time), or null from source. */
  readonly date: string | null;
  /** The runtime it runs on. */
  readonly runtime: RuntimeName;
  /** The runtime's version. */
  readonly runtimeVersion: string;
  /** The target it was built for (from source: the running system), e.g. `linux-x64`. */
  readonly target: string;
}

/**
 * A release target's name from an OS and CPU as runtimes spell them (`linux`/`darwin`/`win32` or
 * `windows`; `x86_64`/`x64`, `aarch64`/`arm64`) and the C library (`musl` adds `-musl`).
 */
export function targetName(os: string, arch: string, libc?: string): string {
  const o = os === "win32" ? "windows" : os;
  const a = arch === "x86_64" ? "x64" : arch === "aarch64" ? "arm64" : arch;
  return `${o}-${a}${libc === "musl" ? "-musl" : ""}`;
}

function hostTarget(): string {
  if (runtimeName === "deno") return targetName(Deno.build.os, Deno.build.arch, Deno.build.env);
  // deno-lint-ignore no-process-global
  const proc = globalThis.process;
  return targetName(proc.platform, proc.arch);
}

function standaloneDeno(): boolean {
  return runtimeName === "deno" && (Deno.build as { standalone?: boolean }).standalone === true;
}

/**
 * The report for this process: `build` is what the build injected (undefined from source, when
 * the running system stands in for the target).
 */
export function versionReport(
  version: string = VERSION,
  build: BuildInfo | undefined = BUILD_INFO,
): VersionReport {
  return {
    name: "netdiag",
    version,
    build: build || standaloneDeno() ? "compiled" : "source",
    commit: build?.commit ?? null,
    date: build?.date ?? null,
    runtime: runtimeName,
    runtimeVersion: runtimeVersion(),
    target: build?.target ?? hostTarget(),
  };
}

/** The one-line form: `netdiag VERSION (COMMIT, DATE) RUNTIME RUNTIME_VERSION TARGET`. */
export function formatVersion(report: VersionReport): string {
  const origin = report.commit !== null
    ? `${report.commit}, ${report.date?.slice(0, 10) ?? "unknown date"}`
    : report.build;
  return `netdiag ${report.version} (${origin}) ${report.runtime} ${report.runtimeVersion} ${report.target}`;
}

/** The line `netdiag --version` prints for this process. */
export function versionText(version: string = VERSION): string {
  return formatVersion(versionReport(version));
}

/** Human view of the report: the one line. */
export const versionView: View<VersionReport> = {
  human: (report) => formatVersion(report) + "\n",
};

/**
 * Facts about how this netdiag was built, which only a build knows: the git commit, the build
 * date and the target. `scripts/build` injects them with `bun build --define NETDIAG_BUILD=…`
 * (and `scripts/release --with-deno` writes them into a copy of this file before `deno compile`);
 * from source (`deno run main.ts`) nothing is injected and {@link BUILD_INFO} is undefined, so no
 * generated file is needed.
 * @module
 */

/** What a build injects. */
export interface BuildInfo {
  /** The commit's short hash, with `-dirty` when tracked files differed from it; or `unknown`. */
  readonly commit: string;
  /** The build date, ISO 8601 UTC: the commit's time (or `SOURCE_DATE_EPOCH`), so rebuilds match. */
  readonly date: string;
  /** The release target, e.g. `linux-x64`, `linux-arm64-musl`, `darwin-arm64`, `windows-x64`. */
  readonly target: string;
}

// Replaced by the value of `bun build --define NETDIAG_BUILD=<json>`; not defined from source.
declare const NETDIAG_BUILD: BuildInfo | undefined;

/** The injected build facts, or undefined when running from source. */
export const BUILD_INFO: BuildInfo | undefined = typeof NETDIAG_BUILD === "undefined"
  ? undefined
  : NETDIAG_BUILD;

/**
 * Writes build facts into a copy of lib/build_info.ts, for compilers without `--define`
 * (`deno compile`, see scripts/release --with-deno): the ambient declaration of NETDIAG_BUILD
 * becomes a constant with the facts. Never run it on the working tree's own file.
 *
 *   deno run --allow-read --allow-write scripts/inject_build_info.ts FILE FACTS_JSON
 *
 * FACTS_JSON is what `scripts/build --target T --print-facts` prints.
 * @module
 */
import type { BuildInfo } from "../lib/build_info.ts";

const DECLARATION = /^declare const NETDIAG_BUILD: BuildInfo \| undefined;$/m;

/** The text of build_info.ts with `facts` as the value of NETDIAG_BUILD; throws without one. */
export function injectBuildInfo(source: string, facts: BuildInfo): string {
  if (!DECLARATION.test(source)) throw new Error("no NETDIAG_BUILD declaration to replace");
  const value = JSON.stringify({ commit: facts.commit, date: facts.date, target: facts.target });
  return source.replace(
    DECLARATION,
    `const NETDIAG_BUILD: BuildInfo | undefined = ${value};`,
  );
}

if (import.meta.main) {
  const [file, json] = Deno.args;
  if (!file || !json) {
    console.error("usage: inject_build_info.ts FILE FACTS_JSON");
    Deno.exit(2);
  }
  Deno.writeTextFileSync(file, injectBuildInfo(Deno.readTextFileSync(file), JSON.parse(json)));
}

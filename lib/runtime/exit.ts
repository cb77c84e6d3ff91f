import { runtimeName } from "./runtime.ts";

/** Ends the process with `code`. Only main.ts calls this. */
export function exitProcess(code: number): never {
  if (runtimeName === "deno") Deno.exit(code);
  // deno-lint-ignore no-process-global
  globalThis.process.exit(code);
  throw new Error("unreachable");
}

/** The command-line arguments after the program name. */
export function processArgs(): string[] {
  if (runtimeName === "deno") return [...Deno.args];
  // deno-lint-ignore no-process-global
  return globalThis.process.argv.slice(2);
}

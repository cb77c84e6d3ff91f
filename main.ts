/**
 * netdiag's entry point: runs the CLI and exits with its code. The only module that exits.
 * @module
 */
import { tryFastPath } from "./lib/cli/fast_path.ts";
import { exitProcess, processArgs } from "./lib/runtime/exit.ts";
import { processIo } from "./lib/runtime/io.ts";

const CLI_MODULE = ["./lib", "cli", "run.ts"].join("/");

const io = processIo();
const args = processArgs();
let code = tryFastPath(args, io);
if (code === undefined) {
  // A computed specifier: Deno loads every literally-imported module (dynamic ones too) before
  // main runs, which would cost the fast path ~10 ms. The binary embeds run.ts as a second entry.
  const { runCli }: typeof import("./lib/cli/run.ts") = await import(CLI_MODULE);
  code = await runCli(args, io);
}
await io.flush();
exitProcess(code);

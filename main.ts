/**
 * netdiag's entry point: runs the CLI and exits with its code. The only module that exits.
 * @module
 */
import { tryFastPath } from "./lib/cli/fast_path.ts";
import { exitProcess, processArgs } from "./lib/runtime/exit.ts";
import { processIo } from "./lib/runtime/io.ts";

const io = processIo();
const args = processArgs();
let code = tryFastPath(args, io);
if (code === undefined) {
  const { runCli } = await import("./lib/cli/run.ts");
  code = await runCli(args, io);
}
await io.flush();
exitProcess(code);

/**
 * netdiag's entry point: runs the CLI and exits with its code. The only module that exits.
 * @module
 */
import { runCli } from "./lib/cli/run.ts";
import { exitProcess, processArgs } from "./lib/runtime/exit.ts";
import { processIo } from "./lib/runtime/io.ts";

const io = processIo();
const code = await runCli(processArgs(), io);
await io.flush();
exitProcess(code);

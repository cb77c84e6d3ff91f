/**
 * node:fs, loaded when first asked for. A static `import … from "node:fs"` loads it with the
 * module that names it, at start-up of every command that module serves (a compiled binary
 * ~7 ms, `deno run` more), even when only a failure path reads a file. Deno and Bun both have
 * `process.getBuiltinModule`, which loads a built-in synchronously.
 * @module
 */

type NodeFs = typeof import("node:fs");

let fsModule: NodeFs | undefined;

/**
 * node:fs, loaded on the first call.
 *
 * @example
 * ```ts
 * import { nodeFsSync } from "./node_fs_sync.ts";
 * const fs = nodeFsSync();
 * console.log(typeof fs.lstatSync); // "function"
 * ```
 */
export function nodeFsSync(): NodeFs {
  if (fsModule) return fsModule;
  const process = (globalThis as {
    process?: { getBuiltinModule?(id: string): unknown };
  }).process;
  const loaded = process?.getBuiltinModule?.("node:fs") as NodeFs | undefined;
  if (!loaded) throw new Error("cannot load node:fs: the runtime has no process.getBuiltinModule");
  fsModule = loaded;
  return fsModule;
}

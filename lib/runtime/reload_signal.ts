/**
 * SIGHUP as "reload your configuration", as daemons (and blackbox_exporter) read it.
 * @module
 */
import { runtimeName } from "./runtime.ts";

/**
 * Calls `handler` each time the process receives SIGHUP, instead of dying. Returns a function
 * that removes the handler. Where the platform has no SIGHUP (Windows) it does nothing.
 */
export function onReloadSignal(handler: () => void): () => void {
  try {
    if (runtimeName === "deno") {
      Deno.addSignalListener("SIGHUP", handler);
      return () => Deno.removeSignalListener("SIGHUP", handler);
    }
    // deno-lint-ignore no-process-global
    const proc = globalThis.process;
    proc.on("SIGHUP", handler);
    return () => proc.off("SIGHUP", handler);
  } catch {
    return () => {};
  }
}

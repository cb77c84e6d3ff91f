import { runtimeName } from "./runtime.ts";

/** The signals that ask a netdiag server to shut down. */
export type ShutdownSignal = "SIGINT" | "SIGTERM";

/**
 * Calls `handler` when the process receives SIGINT or SIGTERM, instead of dying at once.
 * Returns a function that removes the handlers again.
 */
export function onShutdownSignal(handler: (signal: ShutdownSignal) => void): () => void {
  const signals: ShutdownSignal[] = ["SIGINT", "SIGTERM"];
  if (runtimeName === "deno") {
    const listeners = signals.map((s) => [s, () => handler(s)] as const);
    for (const [s, l] of listeners) Deno.addSignalListener(s, l);
    return () => {
      for (const [s, l] of listeners) Deno.removeSignalListener(s, l);
    };
  }
  // deno-lint-ignore no-process-global
  const proc = globalThis.process;
  const listeners = signals.map((s) => [s, () => handler(s)] as const);
  for (const [s, l] of listeners) proc.on(s, l);
  return () => {
    for (const [s, l] of listeners) proc.off(s, l);
  };
}

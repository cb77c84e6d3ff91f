/** The JavaScript runtimes netdiag runs on. */
export type RuntimeName = "deno" | "bun";

/** The minimal slice of Bun's global object netdiag uses outside the socket adapter. */
export interface BunGlobal {
  readonly version: string;
  readonly argv: string[];
  readonly stdout: unknown;
  readonly stderr: unknown;
  write(destination: unknown, data: string | Uint8Array): Promise<number>;
}

/** Returns Bun's global object, or undefined when not running on Bun. */
export function bunGlobal(): BunGlobal | undefined {
  return (globalThis as { Bun?: BunGlobal }).Bun;
}

/** Detects the runtime once: Deno when `Deno` exists, otherwise Bun. */
export const runtimeName: RuntimeName = "Deno" in globalThis ? "deno" : "bun";

/** The running runtime's version string, e.g. `2.9.6`. */
export function runtimeVersion(): string {
  return runtimeName === "deno" ? Deno.version.deno : bunGlobal()?.version ?? "unknown";
}

/**
 * Reads a whole text file with the runtime's own API: `Deno.readTextFile` under Deno (loading
 * node:fs costs Deno ~20 ms of start-up), `Bun.file().text()` under Bun.
 * @module
 */

interface BunFiles {
  file(path: string): { text(): Promise<string> };
}

/** Reads `path` as UTF-8 text; rejects when it cannot be read. */
export async function readTextFile(path: string): Promise<string> {
  if ("Deno" in globalThis) return await Deno.readTextFile(path);
  const bun = (globalThis as { Bun?: BunFiles }).Bun;
  if (bun) return await bun.file(path).text();
  const fs = await import("node:fs/promises");
  return await fs.readFile(path, "utf8");
}

/** A short reason for a failed read: `ENOENT`, `NotFound`, `EACCES`, … */
export function readErrorReason(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string };
  if (e.code) return e.code === "ENOENT" ? "no such file" : e.code;
  if (e.name === "NotFound") return "no such file";
  if (e.name === "PermissionDenied") return "permission denied";
  return e.message ?? String(error);
}

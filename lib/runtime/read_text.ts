/**
 * Reads a whole text file with the runtime's own API: `Deno.readTextFile` under Deno (loading
 * node:fs costs Deno ~20 ms of start-up), `Bun.file().text()` under Bun. Only regular files are
 * read: a FIFO, a device or a socket could keep a read waiting for ever, whatever the timeout.
 * @module
 */

interface BunFiles {
  file(path: string): { text(): Promise<string>; stat(): Promise<{ isFile(): boolean }> };
}

/** A path that is not a regular file (a FIFO, device, socket or directory). */
export class NotRegularFileError extends Error {
  /** The path. */
  readonly path: string;
  /** Creates the error for `path`. */
  constructor(path: string) {
    super("not a regular file");
    this.name = "NotRegularFileError";
    this.path = path;
  }
}

/**
 * Whether `path` is a regular file (after symbolic links): true, false when it is something else
 * (a FIFO, device, socket or directory); rejects as stat does (a missing file, …).
 */
export async function isRegularFile(path: string): Promise<boolean> {
  if ("Deno" in globalThis) return (await Deno.stat(path)).isFile;
  // Bun's own stat: loading node:fs/promises costs a compiled binary ~6 ms of start-up.
  const bun = (globalThis as { Bun?: BunFiles }).Bun;
  if (bun) return (await bun.file(path).stat()).isFile();
  const fs = await import("node:fs/promises");
  return (await fs.stat(path)).isFile();
}

/**
 * Reads `path` as UTF-8 text; rejects when it cannot be read, and with
 * {@link NotRegularFileError} when it is not a regular file (without opening it: opening a FIFO
 * blocks until a writer comes).
 */
export async function readTextFile(path: string): Promise<string> {
  if (!await isRegularFile(path)) throw new NotRegularFileError(path);
  if ("Deno" in globalThis) return await Deno.readTextFile(path);
  const bun = (globalThis as { Bun?: BunFiles }).Bun;
  if (bun) return await bun.file(path).text();
  const fs = await import("node:fs/promises");
  return await fs.readFile(path, "utf8");
}

/** A short reason for a failed read: `no such file`, `not a regular file`, `EACCES`, … */
export function readErrorReason(error: unknown): string {
  if (error instanceof NotRegularFileError) return error.message;
  const e = error as { code?: string; name?: string; message?: string };
  if (e.code) return e.code === "ENOENT" ? "no such file" : e.code;
  if (e.name === "NotFound") return "no such file";
  if (e.name === "PermissionDenied") return "permission denied";
  return e.message ?? String(error);
}

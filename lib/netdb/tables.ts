/**
 * Loads the services and protocols tables: the system file when present, else the embedded
 * table (imported only then, so it costs nothing at start-up on a normal system).
 * @module
 */
import { OperationalError, quote } from "../core/errors.ts";
import { readTextFile } from "../runtime/read_text.ts";
import { parseProtocols, type ProtocolEntry } from "../core/protocols.ts";
import { parseServices, type ServiceEntry } from "../core/services.ts";

/** The system services file. */
export const SERVICES_PATH = "/etc/services";
/** The system protocols file. */
export const PROTOCOLS_PATH = "/etc/protocols";

/** A loaded table and where it came from: the file's path, or "embedded". */
export interface NetdbTable<T> {
  readonly source: string;
  readonly entries: readonly T[];
}

/**
 * Reads a file's text, or undefined when it does not exist; other failures exit 3. (Through the
 * runtime's own file API: node:fs costs Deno ~20 ms of start-up.)
 */
async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readTextFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR" || (error as Error).name === "NotFound") {
      return undefined;
    }
    throw new OperationalError(`cannot read ${quote(path)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Loads the services table from `path` (default /etc/services), else the embedded one. */
export async function loadServices(path = SERVICES_PATH): Promise<NetdbTable<ServiceEntry>> {
  const text = await readIfPresent(path);
  if (text !== undefined) return { source: path, entries: parseServices(text) };
  const { SERVICES } = await import("../data/services.ts");
  return { source: "embedded", entries: SERVICES };
}

/** Loads the protocols table from `path` (default /etc/protocols), else the embedded one. */
export async function loadProtocols(path = PROTOCOLS_PATH): Promise<NetdbTable<ProtocolEntry>> {
  const text = await readIfPresent(path);
  if (text !== undefined) return { source: path, entries: parseProtocols(text) };
  const { PROTOCOLS } = await import("../data/protocols.ts");
  return { source: "embedded", entries: PROTOCOLS };
}

/**
 * Loading blackbox.yml from a file: its text with {@link parseConfig}, CA and password files
 * relative to the file's directory.
 * @module
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseConfig } from "./config.ts";
import { ConfigError, type ExporterConfig } from "./types.ts";

/** Bigger config files are refused (a blackbox.yml is a few KiB). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Reads and parses the config file at `path`. Rejects with a {@link ConfigError}: the file cannot
 * be read, or its content cannot be used (the message names the file).
 */
export async function loadConfigFile(path: string): Promise<ExporterConfig> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new Error(`it is ${bytes.length} bytes, at most ${MAX_CONFIG_BYTES} allowed`);
    }
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    throw new ConfigError(
      `cannot read config file ${JSON.stringify(path)}: ${(error as Error).message}`,
    );
  }
  try {
    return parseConfig(text, {
      baseDir: dirname(path),
      readTextFile: (p) => readFileSync(p, "utf8"),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`config file ${JSON.stringify(path)}: ${error.message}`);
    }
    throw error;
  }
}

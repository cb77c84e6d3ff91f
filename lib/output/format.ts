import { InputError } from "../core/errors.ts";

/** How a result is rendered: human text, one JSON document, or one JSON object per line. */
export type OutputFormat = "human" | "json" | "ndjson";

/** The output flags every command accepts (`--ndjson` only on streaming commands). */
export interface OutputFlags {
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/**
 * Picks the output format from the flags; `--json` with `--ndjson` is a usage error. (Commands
 * declare that conflict with JSON_NDJSON in lib/cli/flag_conflicts.ts; this check goes once
 * every command does.)
 */
export function outputFormat(flags: OutputFlags): OutputFormat {
  if (flags.json && flags.ndjson) {
    throw new InputError('conflicting flags "--json" and "--ndjson": choose one');
  }
  return flags.json ? "json" : flags.ndjson ? "ndjson" : "human";
}

/**
 * An IP endpoint as people read and type it: `127.0.0.1:7007`, `[::1]:7007` (brackets around
 * an IPv6 address). For views, which render the `address` + `port` of a result and never
 * import the network layer.
 *
 * @example
 * ```ts
 * import { formatHostPort } from "./format.ts";
 * formatHostPort("::1", 7007); // "[::1]:7007"
 * ```
 */
export function formatHostPort(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * The `family` of an address in a document: 6 when the text holds `:` (IPv6), else 4.
 *
 * @example
 * ```ts
 * import { addressFamily } from "./format.ts";
 * addressFamily("127.0.0.1"); // 4
 * ```
 */
export function addressFamily(address: string): 4 | 6 {
  return address.includes(":") ? 6 : 4;
}

import { InputError } from "../core/errors.ts";

/** How a result is rendered: human text, one JSON document, or one JSON object per line. */
export type OutputFormat = "human" | "json" | "ndjson";

/** The output flags every command accepts (`--ndjson` only on streaming commands). */
export interface OutputFlags {
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/** Picks the output format from the flags; `--json` with `--ndjson` is a usage error. */
export function outputFormat(flags: OutputFlags): OutputFormat {
  if (flags.json && flags.ndjson) {
    throw new InputError('conflicting flags "--json" and "--ndjson": choose one');
  }
  return flags.json ? "json" : flags.ndjson ? "ndjson" : "human";
}

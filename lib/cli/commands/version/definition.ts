/** The `version` command's definition: `netdiag version [--json]` is `netdiag --version`. */
import { buildCommand } from "@stricli/core";
import { jsonFlag } from "../../flags.ts";

/** `version [--json]`: which netdiag this is, how it was built, what it runs on. */
export const versionCommand = buildCommand({
  loader: async () => (await import("./run.ts")).versionCommand,
  parameters: { flags: { ...jsonFlag } },
  docs: {
    brief: "Print netdiag's version, build and runtime (the same as --version)",
    fullDescription: "Prints one line: netdiag's version, the commit and date it was built from " +
      "(or `source`), the runtime and its version, and the target. With --json, the same facts " +
      "as one JSON object (as `--version --json`).\n\n" +
      "Examples:\n  netdiag version\n  netdiag version --json",
  },
});

/** The `version` command, loaded when it runs (the fast path usually answers first). */
import { emitResult } from "../../../output/emit.ts";
import type { NetdiagContext } from "../../context.ts";
import { versionReport, versionView } from "../../version_report.ts";

/** Runs `version [--json]`. */
export function versionCommand(this: NetdiagContext, flags: { readonly json?: boolean }): void {
  emitResult(this, flags.json ? "json" : "human", versionReport(), versionView);
}

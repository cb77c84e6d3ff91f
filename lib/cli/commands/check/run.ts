/**
 * `netdiag check`: flags → {@link CheckOptions}, the engine's result → the staged report
 * (lib/output/views/check_view.ts) or its document; with `--count`, repeated checks summarised
 * as `ping` does (../ping/repeat.ts).
 * @module
 */
import { check, parseCheckTarget } from "../../../check/mod.ts";
import { InputError } from "../../../core/errors.ts";
import { netAdapter } from "../../../net/adapter.ts";
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { checkParts, checkText } from "../../../output/views/check_view.ts";
import type { NetdiagContext } from "../../context.ts";
import { interruptedError, interruptible } from "../../interrupt.ts";
import { pingKind, repeatChecks } from "../ping/repeat.ts";
import type { CheckFlags } from "./flags.ts";
import { checkOptions } from "./options.ts";

/** Runs `netdiag check TARGET`. */
export async function checkCommand(
  this: NetdiagContext,
  flags: CheckFlags,
  input: string,
): Promise<void> {
  const format = outputFormat(flags);
  const target = parseCheckTarget(input); // bad input: exit 2 before any I/O
  if (flags.ndjson && flags.count === undefined) {
    throw new InputError('"--ndjson" applies to repeated checks: add --count N, or use --json');
  }
  if (flags.interval !== undefined && flags.count === undefined) {
    throw new InputError('"--interval" applies to repeated checks: add --count N');
  }
  const options = await checkOptions(input, flags);
  const adapter = await netAdapter();
  if (flags.count !== undefined) {
    await repeatChecks(
      this,
      format,
      "check",
      { check, adapter, options, input },
      pingKind(target, flags.tls),
      {
        count: flags.count,
        intervalMs: flags.interval ?? 1000,
      },
    );
    return;
  }
  const stop = interruptible(this.io);
  let result;
  try {
    result = await check(adapter, options, {}, stop.signal);
  } finally {
    stop.remove();
  }
  if (stop.fired) throw interruptedError("check");
  emitDocument(this, format, checkParts(input, result), {
    command: "check",
    human: checkText,
    exitCode: () => result.exitCode,
    parts: (p) => p,
  });
}

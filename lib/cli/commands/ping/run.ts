/**
 * `netdiag ping`: repeated checks of a target (a TCP connect, a TLS handshake or an HTTP
 * request, as the target says), streamed one line per attempt, then the ping-style summary.
 * @module
 */
import { check, parseCheckTarget } from "../../../check/mod.ts";
import { netAdapter } from "../../../net/adapter.ts";
import { outputFormat } from "../../../output/format.ts";
import type { NetdiagContext } from "../../context.ts";
import { checkOptions } from "../check/options.ts";
import type { PingFlags } from "./definition.ts";
import { pingKind, repeatChecks } from "./repeat.ts";

/** Runs `netdiag ping TARGET`. */
export async function pingCommand(
  this: NetdiagContext,
  flags: PingFlags,
  input: string,
): Promise<void> {
  const format = outputFormat(flags);
  const target = parseCheckTarget(input); // bad input: exit 2 before any I/O
  const options = await checkOptions(input, flags);
  const adapter = await netAdapter();
  await repeatChecks(
    this,
    format,
    "ping",
    { check, adapter, options, input },
    pingKind(target, flags.tls),
    {
      count: flags.count,
      intervalMs: flags.interval,
      deadlineMs: flags.deadline,
    },
  );
}

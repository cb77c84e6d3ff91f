/**
 * `netdiag send`: flags → {@link SendOptions}, the engine's hooks → the progress line and the
 * result stream, its result → the document (lib/output/document_emit.ts).
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";
import { parseEndpoint } from "../../../core/endpoint.ts";
import type { SendSummary, SentFile, TransferTarget } from "../../../core/transfer.ts";
import { netAdapter } from "../../../net/mod.ts";
import { openDocumentStream } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { SendProgressLine, sendView } from "../../../output/views/transfer_view.ts";
import { sendFiles } from "../../../transfer/sender.ts";
import type { NetdiagContext } from "../../context.ts";
import { interruptedError, interruptible } from "../../interrupt.ts";
import type { SendFlags } from "./definition.ts";

/** Runs `netdiag send FILE... TARGET`. */
export async function sendCommand(
  this: NetdiagContext,
  flags: SendFlags,
  ...args: string[]
): Promise<void> {
  const format = outputFormat(flags);
  const target = sendTarget(args[args.length - 1]);
  const family = flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined;
  if (family && target.transport === "unix") {
    throw new InputError(
      `"--ipv${family}" does not apply to the Unix socket ${quote(target.path)}`,
    );
  }
  const adapter = await netAdapter();
  const quiet = flags.quiet === true && format === "human";
  const showProgress = !quiet && (flags.progress ?? this.io.isTerminal("stderr"));
  const progress = new SendProgressLine(this, showProgress);
  const stream = openDocumentStream<SentFile, SendSummary>(this, format, sendView);
  const stop = interruptible(this.io);
  try {
    const result = await sendFiles(adapter, {
      files: args.slice(0, -1),
      target,
      connectTimeoutMs: flags.timeout,
      idleTimeoutMs: flags.idleTimeout,
      family,
      hashFirst: flags.hashFirst,
    }, {
      onHashing: (name) => progress.hashing(name),
      onProgress: (name, sent, size) => progress.draw(name, sent, size),
      onFile: (file) => {
        progress.clear();
        if (!quiet) stream.item(file);
      },
    }, stop.signal).catch((error) => {
      // Stopped before the connection: nothing was sent, so there is nothing but the signal.
      throw stop.fired ? interruptedError(`send to ${quote(args[args.length - 1])}`) : error;
    });
    progress.clear();
    stream.end(result.summary, result.interrupted);
  } finally {
    progress.clear();
    stop.remove();
  }
}

/** The last operand: HOST:PORT, [IPv6]:PORT, PORT (127.0.0.1) or a socket path. */
function sendTarget(text: string): TransferTarget {
  const target = parseEndpoint([text], { defaultHost: "127.0.0.1" });
  return target.kind === "unix"
    ? { transport: "unix", path: target.path }
    : { transport: "tcp", host: target.host ?? "127.0.0.1", port: target.port };
}

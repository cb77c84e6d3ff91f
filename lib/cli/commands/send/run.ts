/**
 * `netdiag send`: flags → {@link SendOptions}, the engine's hooks → the progress line and the
 * result stream, its result → the document (lib/output/document_emit.ts).
 * @module
 */
import { parseTransferTarget, type SendSummary, type SentFile } from "../../../core/transfer.ts";
import { netAdapter } from "../../../net/mod.ts";
import { openDocumentStream } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { SendProgressLine, sendView } from "../../../output/views/transfer_view.ts";
import { sendFiles } from "../../../transfer/sender.ts";
import type { NetdiagContext } from "../../context.ts";
import type { SendFlags } from "./definition.ts";

/** Runs `netdiag send FILE... TARGET`. */
export async function sendCommand(
  this: NetdiagContext,
  flags: SendFlags,
  ...args: string[]
): Promise<void> {
  const format = outputFormat(flags);
  const target = parseTransferTarget(args[args.length - 1]);
  const adapter = await netAdapter();
  const progress = new SendProgressLine(this, flags.progress ?? this.io.isTerminal("stderr"));
  const stream = openDocumentStream<SentFile, SendSummary>(this, format, sendView);
  try {
    const result = await sendFiles(adapter, {
      files: args.slice(0, -1),
      target,
      connectTimeoutMs: flags.timeout,
      idleTimeoutMs: flags.idleTimeout,
    }, {
      onHashing: (name) => progress.hashing(name),
      onProgress: (name, sent, size) => progress.draw(name, sent, size),
      onFile: (file) => {
        progress.clear();
        stream.item(file);
      },
    });
    stream.end(result.summary, result.interrupted);
  } finally {
    progress.clear();
  }
}

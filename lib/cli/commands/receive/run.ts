/**
 * `netdiag receive`: flags → {@link ReceiveOptions}, the engine's hooks → the result stream and
 * stderr, SIGINT/SIGTERM → stop, its summary → the document (lib/output/document_emit.ts).
 * @module
 */
import { OperationalError } from "../../../core/errors.ts";
import type { ReceivedFile, ReceiveSummary } from "../../../core/transfer.ts";
import { netAdapter, NetError } from "../../../net/mod.ts";
import { openDocumentStream } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import {
  droppedLine,
  leftoverLines,
  listeningLine,
  receiveView,
} from "../../../output/views/transfer_view.ts";
import { interruptible } from "../../interrupt.ts";
import { type Receiver, startReceiver } from "../../../transfer/receiver.ts";
import type { NetdiagContext } from "../../context.ts";
import type { ReceiveFlags } from "./definition.ts";
import { serverEndpoint } from "../../../core/endpoint.ts";

/** Runs `netdiag receive --dir DIR`. */
export async function receiveCommand(
  this: NetdiagContext,
  flags: ReceiveFlags,
  ...operands: string[]
): Promise<void> {
  const where = listenAddress(flags, operands);
  const format = outputFormat(flags);
  const stream = openDocumentStream<ReceivedFile, ReceiveSummary>(this, format, receiveView);
  const stderr = (text: string) => text && this.io.write("stderr", text);
  const stop = interruptible(this.io);
  try {
    const receiver = await operational(startReceiver(await netAdapter(), {
      dir: flags.dir,
      ...where,
      overwrite: flags.overwrite ?? false,
      maxSizeBytes: flags.maxSize,
      once: flags.once ?? false,
      maxConns: flags.maxConns,
      idleTimeoutMs: flags.idleTimeout,
      headerTimeoutMs: flags.headerTimeout,
      minRateBytesPerSecond: flags.minRate,
      minRateWindowMs: flags.minRateWindow,
      keepResults: false,
    }, {
      onFile: (file) => stream.item(file),
      onLeftovers: (report) => stderr(leftoverLines(report)),
      onDropped: (peer, reason) => stderr(droppedLine(peer, reason)),
    }, stop.signal));
    stderr(listeningLine(receiver.address, receiver.dir));
    const { summary } = await operational<Awaited<Receiver["done"]>>(receiver.done);
    stream.end(summary);
  } finally {
    stop.remove();
  }
}

/** A network failure of the receiver (cannot listen, accept failed) is operational: exit 3. */
async function operational<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof NetError) throw new OperationalError(error.message, { cause: error });
    throw error;
  }
}

/** The operands or --port / --unix (docs/endpoints.md); 127.0.0.1:9009 by default. */
function listenAddress(flags: ReceiveFlags, operands: readonly string[]) {
  const target = serverEndpoint(operands, flags);
  if (target?.kind === "unix") return { host: flags.host, port: 9009, unix: target.path };
  return { host: target?.host ?? flags.host, port: target?.port ?? 9009, unix: undefined };
}

/**
 * Verified file transfer as a library: {@link sendFiles} streams files to a receiver, each
 * checked by size and SHA-256 on the other side; {@link startReceiver} runs a receiver that
 * saves files into one directory only once they match. The wire protocol is described in
 * docs/protocols/transfer.md.
 *
 * @example
 * ```ts ignore
 * import { netAdapter } from "../net/mod.ts";
 * import { sendFiles, startReceiver } from "./mod.ts";
 * const adapter = await netAdapter();
 * const receiver = await startReceiver(adapter, { dir: "/tmp/in", port: 0 });
 * const port = "port" in receiver.address ? receiver.address.port : 0;
 * const { summary } = await sendFiles(adapter, {
 *   files: ["report.pdf"],
 *   target: { transport: "tcp", host: "127.0.0.1", port },
 * });
 * summary.verified; // 1
 * await receiver.stop();
 * ```
 * @module
 */
export { sendFiles, type SendHooks, type SendOptions, type SendResult } from "./sender.ts";
export {
  type LeftoverReport,
  RECEIVE_DEFAULTS,
  type ReceiveHooks,
  type ReceiveOptions,
  type Receiver,
  type ReceiveResult,
  startReceiver,
} from "./receiver.ts";
export {
  parseTransferTarget,
  type ReceivedFile,
  receiveExitCode,
  type ReceiveStatus,
  type ReceiveSummary,
  sendExitCode,
  type SendStatus,
  type SendSummary,
  type SentFile,
  type TransferAddress,
  transferAddressText,
  type TransferCounts,
  type TransferTarget,
} from "../core/transfer.ts";

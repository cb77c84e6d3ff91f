/** The `htons`, `htonl`, `ntohs` and `ntohl` commands, loaded when one of them runs. */
import { type ByteOrderFunction, convertByteOrder } from "../../../core/byte_order.ts";
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { byteOrderViews } from "../../../output/views/byte_order_view.ts";
import type { NetdiagContext } from "../../context.ts";

/** Flags of the byte-order commands. */
export interface ByteOrderFlags {
  readonly json?: boolean;
}

type ByteOrderRun = (this: NetdiagContext, flags: ByteOrderFlags, ...values: number[]) => void;

function byteOrderRun(fn: ByteOrderFunction): ByteOrderRun {
  return function (this: NetdiagContext, flags: ByteOrderFlags, ...values: number[]) {
    emitDocument(this, outputFormat(flags), convertByteOrder(fn, values), byteOrderViews[fn]);
  };
}

/** The command function of each byte-order command. */
export const byteOrderFunctions: Readonly<Record<ByteOrderFunction, ByteOrderRun>> = {
  htons: byteOrderRun("htons"),
  htonl: byteOrderRun("htonl"),
  ntohs: byteOrderRun("ntohs"),
  ntohl: byteOrderRun("ntohl"),
};

import type { ByteOrderResult } from "../../core/byte_order.ts";
import type { View } from "../emit.ts";

/** Human view of a byte-order conversion: one converted value per line, like CPython prints. */
export const byteOrderView: View<ByteOrderResult> = {
  human: (result) => result.conversions.map((c) => `${c.output}\n`).join(""),
};

import type { ByteOrderFunction, ByteOrderResult } from "../../core/byte_order.ts";
import type { DocumentView } from "../document_emit.ts";

/** One converted value per line, like CPython prints them. */
function human(result: ByteOrderResult): string {
  return result.conversions.map((c) => `${c.output}\n`).join("");
}

function documentView(fn: ByteOrderFunction): DocumentView<ByteOrderResult> {
  return {
    command: fn,
    human,
    parts: ({ bits, hostByteOrder, conversions }) => ({
      summary: { bits, hostByteOrder },
      results: conversions,
    }),
  };
}

/**
 * `htons`, `htonl`, `ntohs`, `ntohl`: one converted value per line; the document's summary is
 * the width and the host byte order the answer depends on, its results the conversions
 * (`input`, `output`, `outputHex`).
 */
export const byteOrderViews: Readonly<Record<ByteOrderFunction, DocumentView<ByteOrderResult>>> = {
  htons: documentView("htons"),
  htonl: documentView("htonl"),
  ntohs: documentView("ntohs"),
  ntohl: documentView("ntohl"),
};

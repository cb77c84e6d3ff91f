import type { InetFamily, PackResult, UnpackResult } from "../../core/inet_convert.ts";
import type { DocumentView } from "../document_emit.ts";

/** How packed bytes are shown: lowercase hex or the Python bytes literal. */
export type PackedDisplay = "hex" | "bytes";

/** A family as documents write it: 4 or 6. */
const familyNumber = (family: InetFamily): 4 | 6 => family === "inet6" ? 6 : 4;

/**
 * `aton` / `pton`: one line, the packed bytes as hex or as a Python literal; the document's one
 * result is `{ family, input, hex, bytes, address }` (family 4 or 6).
 */
export function packView(
  command: "aton" | "pton",
  display: PackedDisplay,
): DocumentView<PackResult> {
  return {
    command,
    human: (r) => `${display === "bytes" ? r.bytes : r.hex}\n`,
    parts: ({ family, input, hex, bytes, address }) => ({
      summary: {},
      results: [{ family: familyNumber(family), input, hex, bytes, address }],
    }),
  };
}

/**
 * `ntoa` / `ntop`: one line, the address; the document's one result is
 * `{ family, input, hex, address }` (family 4 or 6).
 */
export function unpackView(command: "ntoa" | "ntop"): DocumentView<UnpackResult> {
  return {
    command,
    human: (r) => `${r.address}\n`,
    parts: ({ family, input, hex, address }) => ({
      summary: {},
      results: [{ family: familyNumber(family), input, hex, address }],
    }),
  };
}

import type { PackResult, UnpackResult } from "../../core/inet_convert.ts";
import type { View } from "../emit.ts";

/** How packed bytes are shown: lowercase hex or the Python bytes literal. */
export type PackedDisplay = "hex" | "bytes";

/** Human view of `aton` / `pton`: one line, the packed bytes as hex or as a Python literal. */
export function packView(display: PackedDisplay): View<PackResult> {
  return { human: (r) => `${display === "bytes" ? r.bytes : r.hex}\n` };
}

/** Human view of `ntoa` / `ntop`: one line, the address. */
export const unpackView: View<UnpackResult> = {
  human: (r) => `${r.address}\n`,
};

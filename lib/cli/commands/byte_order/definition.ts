/** The `htons`, `htonl`, `ntohs` and `ntohl` commands' definitions. */
import { buildCommand } from "@stricli/core";
import { type ByteOrderFunction, parseByteOrderOperand } from "../../../core/byte_order.ts";
import { documented } from "../../documented.ts";
import { jsonFlag } from "../../flags.ts";

const DESCRIPTIONS: Record<ByteOrderFunction, [string, string, string]> = {
  htons: ["Convert 16-bit values from host to network byte order", "20000", "8270"],
  ntohs: ["Convert 16-bit values from network to host byte order", "8270", "20000"],
  htonl: ["Convert 32-bit values from host to network byte order", "20000", "541982720"],
  ntohl: ["Convert 32-bit values from network to host byte order", "541982720", "20000"],
};

/** Builds the `htons`, `htonl`, `ntohs` or `ntohl` command. */
function byteOrderCommand(fn: ByteOrderFunction) {
  const [brief, example, answer] = DESCRIPTIONS[fn];
  const bits = fn.endsWith("s") ? 16 : 32;
  return buildCommand({
    loader: async () => documented(fn, (await import("./run.ts")).byteOrderFunctions[fn]),
    parameters: {
      flags: { ...jsonFlag },
      aliases: { j: "json" },
      positional: {
        kind: "array",
        minimum: 1,
        parameter: {
          brief: `${bits}-bit unsigned values, decimal or 0x-hex`,
          placeholder: "value",
          parse: (text: string) => parseByteOrderOperand(fn, text),
        },
      },
    },
    docs: {
      brief,
      fullDescription: `${brief}, as C and Python's socket.${fn} do: on a little-endian host ` +
        `the bytes are swapped, on a big-endian host the value is unchanged (--json says which).\n\n` +
        `Examples:\n  netdiag ${fn} ${example}          prints ${answer} on a little-endian host\n` +
        `  netdiag ${fn} 0x4e20 1 --json`,
    },
  });
}

/** `htons VALUE…`. */
export const htonsCommand = byteOrderCommand("htons");
/** `htonl VALUE…`. */
export const htonlCommand = byteOrderCommand("htonl");
/** `ntohs VALUE…`. */
export const ntohsCommand = byteOrderCommand("ntohs");
/** `ntohl VALUE…`. */
export const ntohlCommand = byteOrderCommand("ntohl");

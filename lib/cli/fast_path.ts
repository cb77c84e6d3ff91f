import { type ByteOrderFunction, convertByteOrder } from "../core/byte_order.ts";
import type { ExitCode } from "../core/exit_code.ts";
import type { Io } from "../runtime/io.ts";
import { emitResult } from "../output/emit.ts";
import { emitDocument } from "../output/document_emit.ts";
import { byteOrderViews } from "../output/views/byte_order_view.ts";
import { versionReport, versionView } from "./version_report.ts";

const FUNCTIONS = new Set(["htons", "htonl", "ntohs", "ntohl"]);
const OPERAND = /^(?:[0-9]{1,10}|0[xX][0-9a-fA-F]{1,8})$/;
const VERSION_FLAGS = new Set(["--version", "-v", "version"]);

/**
 * Answers the smallest, most frequent commands (`netdiag htons 20000`) without loading the
 * CLI framework, which costs more start-up than the work itself, and `--version` / `-v` /
 * `version` (with `--json` for the JSON object). Only well-formed input takes this path — the same core and view
 * as the full command, so the output is identical; anything else (flags other than `--json`,
 * out-of-range or malformed values, help) returns undefined and goes through the full CLI, which
 * reports errors.
 */
export function tryFastPath(args: readonly string[], io: Io): ExitCode | undefined {
  const target = { io, process: { exitCode: 0 as number | string | null | undefined } };
  const flags = args.filter((a) => a !== "--json");
  if (flags.length === 1 && VERSION_FLAGS.has(flags[0]) && args.length <= 2) {
    return emitResult(target, args.length === 2 ? "json" : "human", versionReport(), versionView);
  }
  const [fn, ...rest] = args;
  if (!FUNCTIONS.has(fn)) return undefined;
  const json = rest.includes("--json");
  const operands = rest.filter((a) => a !== "--json");
  if (operands.length === 0 || !operands.every((a) => OPERAND.test(a))) return undefined;
  const values = operands.map((a) =>
    a.startsWith("0x") || a.startsWith("0X") ? parseInt(a, 16) : Number(a)
  );
  const max = fn.endsWith("s") ? 0xffff : 0xffffffff;
  if (values.some((v) => v > max)) return undefined;
  return emitDocument(
    target,
    json ? "json" : "human",
    convertByteOrder(fn as ByteOrderFunction, values),
    byteOrderViews[fn as ByteOrderFunction],
  ) as ExitCode;
}

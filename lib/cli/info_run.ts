/** The `info` command, loaded when it runs. */
import { arch, networkInterfaces, platform } from "node:os";
import { hostEndianness } from "../core/byte_order.ts";
import { buildInfo, type RawInterfaceAddress } from "../core/info.ts";
import { emitResult } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { infoView } from "../output/views/info_view.ts";
import { runtimeName, runtimeVersion } from "../runtime/runtime.ts";
import { VERSION } from "../version.ts";
import type { NetdiagContext } from "./context.ts";

/** Runs `info`. */
export function infoCommand(this: NetdiagContext, flags: { json?: boolean }): void {
  const result = buildInfo({
    version: VERSION,
    runtime: { name: runtimeName, version: runtimeVersion() },
    platform: { os: platform(), arch: arch() },
    hostByteOrder: hostEndianness(),
    interfaces: networkInterfaces() as Record<string, RawInterfaceAddress[] | undefined>,
  });
  emitResult(this, outputFormat(flags), result, infoView);
}

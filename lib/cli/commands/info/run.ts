/** The `info` command, loaded when it runs. */
import { arch, networkInterfaces, platform } from "node:os";
import { hostEndianness } from "../../../core/byte_order.ts";
import { buildInfo, type RawInterfaceAddress } from "../../../core/info.ts";
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { infoView } from "../../../output/views/info_view.ts";
import { runtimeName, runtimeVersion } from "../../../runtime/runtime.ts";
import { VERSION } from "../../../version.ts";
import type { NetdiagContext } from "../../context.ts";

/** Flags of `info`. */
export interface InfoFlags {
  readonly json?: boolean;
}

/** Runs `info`. */
export function infoCommand(this: NetdiagContext, flags: InfoFlags): void {
  const result = buildInfo({
    version: VERSION,
    runtime: { name: runtimeName, version: runtimeVersion() },
    platform: { os: platform(), arch: arch() },
    hostByteOrder: hostEndianness(),
    interfaces: networkInterfaces() as Record<string, RawInterfaceAddress[] | undefined>,
  });
  emitDocument(this, outputFormat(flags), result, infoView);
}

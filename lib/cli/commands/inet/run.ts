/** The `aton`, `ntoa`, `pton` and `ntop` commands, loaded when one of them runs. */
import { aton, type InetFamily, ntoa, ntop, pton } from "../../../core/inet_convert.ts";
import { emitDocument } from "../../../output/document_emit.ts";
import { outputFormat } from "../../../output/format.ts";
import { packView, unpackView } from "../../../output/views/inet_view.ts";
import type { NetdiagContext } from "../../context.ts";

/** Flags of `aton`. */
export interface AtonFlags {
  readonly json?: boolean;
  readonly bytes?: boolean;
}

/** Flags of `pton`. */
export interface PtonFlags extends AtonFlags {
  readonly family?: InetFamily;
}

/** Flags of `ntop`. */
export interface NtopFlags {
  readonly json?: boolean;
  readonly family?: InetFamily;
}

const display = (flags: AtonFlags) => flags.bytes ? "bytes" : "hex";

/** Runs `aton ADDR`. */
export function atonCommand(this: NetdiagContext, flags: AtonFlags, addr: string): void {
  emitDocument(this, outputFormat(flags), aton(addr), packView("aton", display(flags)));
}

/** Runs `pton ADDR`. */
export function ptonCommand(this: NetdiagContext, flags: PtonFlags, addr: string): void {
  const view = packView("pton", display(flags));
  emitDocument(this, outputFormat(flags), pton(addr, flags.family), view);
}

/** Runs `ntoa HEX`. */
export function ntoaCommand(this: NetdiagContext, flags: { json?: boolean }, hex: string): void {
  emitDocument(this, outputFormat(flags), ntoa(hex), unpackView("ntoa"));
}

/** Runs `ntop HEX`. */
export function ntopCommand(this: NetdiagContext, flags: NtopFlags, hex: string): void {
  emitDocument(this, outputFormat(flags), ntop(hex, flags.family), unpackView("ntop"));
}

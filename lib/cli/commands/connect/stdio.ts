/**
 * The process's side of a relay: what `connect` and `listen` send (stdin, `--send`,
 * `--send-file`) and where the peer's bytes go (stdout, raw or as a hex dump).
 * @module
 */
import { stat } from "node:fs/promises";
import { InputError, quote } from "../../../core/errors.ts";
import {
  bytesSource,
  fileSource,
  hexDumpSink,
  type InputSource,
  type Sink,
  streamSource,
} from "../../../relay/mod.ts";
import type { Io } from "../../../runtime/io.ts";

/** Standard output as a sink: the raw bytes, or with `hex` a hex+ASCII listing. */
export function stdoutSink(io: Io, hex: boolean): Sink {
  if (hex) return hexDumpSink((text) => io.write("stdout", text));
  return (bytes) => io.writeBytes("stdout", bytes);
}

/** What to send: `--send`'s bytes, `--send-file`'s file (which must be a readable file), or stdin. */
export async function inputSource(
  io: Io,
  flags: { readonly send?: Uint8Array; readonly sendFile?: string },
): Promise<InputSource> {
  if (flags.send !== undefined) return bytesSource(flags.send);
  if (flags.sendFile !== undefined) {
    const info = await stat(flags.sendFile).catch(() => undefined);
    if (!info?.isFile()) {
      throw new InputError(`cannot read ${quote(flags.sendFile)}: not a readable file`);
    }
    return fileSource(flags.sendFile);
  }
  return streamSource(io.stdin());
}

/** Whether to send the rest of the input after the peer closed (not for a terminal's stdin). */
export function drainsInput(
  io: Io,
  flags: { readonly send?: unknown; readonly sendFile?: unknown },
) {
  return flags.send !== undefined || flags.sendFile !== undefined || !io.isTerminal("stdin");
}

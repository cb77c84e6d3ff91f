/** Connection helpers for tests that talk to servers through the socket adapter. */
import type { Connection } from "../../lib/net/types.ts";
import { concatBytes } from "../../lib/core/bytes.ts";

/** Reads until end of stream (closing the connection after `timeoutMs`, default 5 s). */
export async function readAll(conn: Connection, timeoutMs = 5000): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
  } finally {
    clearTimeout(timer);
  }
  return concatBytes(chunks);
}

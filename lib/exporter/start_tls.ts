/**
 * STARTTLS for the tcp prober: a TLS client handshake over a connection that already spoke plain
 * text, through node:tls on a stream wrapping the adapter's connection (the same verification
 * reporting as lib/net/tls.ts: never enforced there, checked by the caller).
 * @module
 */
import { Duplex } from "node:stream";
import { describeTlsSocket, type TlsConnection } from "../net/tls.ts";
import type { Connection } from "../net/types.ts";
import { failed, type ProberContext, type ProberResult } from "./prober.ts";
import * as tls from "node:tls";

/** TLS options of {@link startTls}. */
export interface StartTlsOptions {
  /** SNI and the name verified; none for an IP literal target (then {@link verifyName}). */
  readonly servername?: string;
  /** The name the certificate is checked against when there is no `servername`: the target. */
  readonly verifyName: string;
  readonly ca?: string;
  readonly insecure: boolean;
  readonly minVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
}

function duplexOf(conn: Connection): Duplex {
  let reading = false;
  return new Duplex({
    read() {
      if (reading) return;
      reading = true;
      const pump = async () => {
        try {
          while (true) {
            const chunk = await conn.readChunk();
            if (chunk === null) return void this.push(null);
            if (!this.push(new Uint8Array(chunk))) break;
          }
        } catch (error) {
          this.destroy(error as Error);
        } finally {
          reading = false;
        }
      };
      void pump();
    },
    write(chunk: Uint8Array, _enc, done) {
      conn.write(chunk).then(() => done(), (e) => done(e));
    },
    destroy(error, done) {
      conn.close();
      done(error);
    },
  });
}

/** Upgrades `conn` to TLS; the TLS connection, or the probe's failure. */
export async function startTls(
  ctx: ProberContext,
  conn: Connection,
  options: StartTlsOptions,
): Promise<TlsConnection | ProberResult> {
  const t0 = performance.now();
  const socket = tls.connect({
    socket: duplexOf(conn),
    ...(options.servername !== undefined ? { servername: options.servername } : {}),
    ...(options.ca ? { ca: [options.ca] } : {}),
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
      socket.once("close", () => reject(new Error("connection closed during the handshake")));
      ctx.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
    });
  } catch (error) {
    socket.destroy();
    return failed(
      ctx,
      "tls",
      "tls_handshake_failed",
      `TLS Handshake (client) failed err=${(error as Error).message}`,
    );
  }
  return describeTlsSocket(
    socket,
    options.servername ?? options.verifyName,
    options.insecure,
    performance.now() - t0,
  );
}

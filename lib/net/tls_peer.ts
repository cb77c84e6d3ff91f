/**
 * What a finished TLS handshake tells about the peer, and the byte stream after it: the shape
 * both TLS socket kinds (`node:tls` and Bun's own sockets) are read into, so one description
 * of the handshake serves both.
 * @module
 */
import type { LegacyCertificate } from "./tls_certificate.ts";

/** The peer's side of a finished handshake, as the socket reports it. */
export interface TlsPeerFacts {
  /** The leaf as a legacy object whose `issuerCertificate` links walk the chain presented. */
  readonly certificate: LegacyCertificate | undefined;
  /** The chain verified against the trust anchors (the host name is checked apart). */
  readonly authorized: boolean;
  /** OpenSSL's verification error code (`CERT_HAS_EXPIRED`, …), or null. */
  readonly authorizationError: string | null;
  /** `TLSv1.3`, … */
  readonly protocol: string | null;
  readonly cipher: { readonly name?: string; readonly standardName?: string } | undefined;
  /** The ALPN protocol the server selected. */
  readonly alpn: string | null;
}

/** The application bytes of a TLS connection. */
export interface TlsByteStream {
  /** The next chunk received, or null at the end of the stream. */
  readChunk(): Promise<Uint8Array | null>;
  /** Sends `data` whole. */
  write(data: Uint8Array): Promise<void>;
  /** Closes at once (unsent and unread data are dropped). */
  close(): void;
}

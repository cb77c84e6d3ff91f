/**
 * The flag values `netdiag receive` runs with, as its definition parses them.
 * @module
 */

/** The flags of `netdiag receive`. */
export interface ReceiveFlags {
  readonly json?: boolean;
  readonly ndjson?: boolean;
  readonly dir: string;
  readonly port?: number;
  readonly host: string;
  readonly unix?: string;
  readonly overwrite?: boolean;
  readonly maxSize: number;
  readonly once?: boolean;
  readonly maxConns: number;
  readonly idleTimeout: number;
  readonly headerTimeout: number;
  readonly minRate: number;
  readonly minRateWindow: number;
}

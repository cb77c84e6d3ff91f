/**
 * The connect stage: RFC 8305 happy eyeballs (families interleaved, the first address's family
 * first, a new attempt every `attemptDelayMs` or as soon as the previous one fails, the first
 * success wins and the others are cancelled), or every address in turn (`allAddrs`).
 * @module
 */
import { NetError } from "../net/types.ts";
import type { ConnectAttempt } from "./types.ts";

/** One attempt under way: `tcp` settles when TCP connects, `done` when the connection is usable. */
export interface Attempt<C> {
  readonly tcp: Promise<number>;
  readonly done: Promise<C>;
  cancel(): void;
}

/** An address to try. */
export interface Address {
  readonly address: string;
  readonly family: 4 | 6;
}

/** RFC 8305 §4 order: alternate families, starting with the first address's family. */
export function interleave(addresses: readonly Address[]): Address[] {
  if (!addresses.length) return [];
  const first = addresses[0].family;
  const a = addresses.filter((x) => x.family === first);
  const b = addresses.filter((x) => x.family !== first);
  const out: Address[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

/** The winner of {@link happyEyeballs}. */
export interface Raced<C> {
  readonly attempt: Attempt<C>;
  readonly address: Address;
  readonly attempts: ConnectAttempt[];
  /** TCP connect time of the winner (ms, from its own start). */
  readonly tcpMs: number;
}

/** Every attempt failed; `attempts` says how. */
export class ConnectFailed extends Error {
  constructor(readonly attempts: ConnectAttempt[], readonly last: unknown) {
    super(last instanceof Error ? last.message : String(last));
    this.name = "ConnectFailed";
  }
}

function codeOf(error: unknown): string {
  return error instanceof NetError ? error.code : "UNKNOWN";
}

/** Races TCP connects to `addresses` (already in order); see the module. */
export function happyEyeballs<C>(
  addresses: readonly Address[],
  start: (a: Address) => Attempt<C>,
  delayMs: number,
  signal?: AbortSignal,
): Promise<Raced<C>> {
  const t0 = performance.now();
  const records: ConnectAttempt[] = [];
  const live = new Map<number, Attempt<C>>();
  return new Promise((resolve, reject) => {
    let next = 0;
    let failed = 0;
    let won = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastError: unknown;
    const onAbort = () => finishFail(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const finishFail = (error: unknown) => {
      if (won) return;
      won = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      for (const [i, a] of live) {
        a.cancel();
        records[i] = { ...records[i], status: "cancelled" };
      }
      reject(error instanceof ConnectFailed ? error : new ConnectFailed(records, error));
    };
    const launch = () => {
      clearTimeout(timer);
      if (won || next >= addresses.length) return;
      const i = next++;
      const address = addresses[i];
      const startedAt = performance.now();
      records[i] = {
        address: address.address,
        family: address.family,
        startedMs: startedAt - t0,
        status: "cancelled",
      };
      const attempt = start(address);
      live.set(i, attempt);
      attempt.tcp.then(
        (ms) => {
          if (won) return attempt.cancel();
          won = true;
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          live.delete(i);
          records[i] = { ...records[i], status: "ok", ms };
          for (const [j, other] of live) {
            other.cancel();
            records[j] = { ...records[j], status: "cancelled" };
          }
          resolve({ attempt, address, attempts: records, tcpMs: ms });
        },
        (error) => {
          live.delete(i);
          if (won) return;
          failed++;
          lastError = error;
          records[i] = {
            ...records[i],
            status: "failed",
            ms: performance.now() - startedAt,
            code: codeOf(error),
          };
          if (failed === addresses.length) finishFail(new ConnectFailed(records, lastError));
          else launch();
        },
      );
      if (next < addresses.length) timer = setTimeout(launch, delayMs);
    };
    if (!addresses.length) return finishFail(new Error("no address to connect to"));
    launch();
  });
}

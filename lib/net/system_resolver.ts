/**
 * The system resolver (getaddrinfo: hosts file, then DNS, as nsswitch.conf says) and the host
 * name, the same way on both runtimes:
 *
 * - Deno: node:dns `lookup` with `order: "verbatim"` (Deno calls getaddrinfo and, verbatim,
 *   keeps its order; its default would put IPv4 first);
 * - Bun: `Bun.dns.lookup` with `backend: "system"`, which is getaddrinfo on Linux (Bun's
 *   node:dns `lookup` defaults to c-ares, which reads /etc/hosts itself and ignores nsswitch).
 *
 * So both print getaddrinfo's own order, the order `getent ahosts` prints.
 * @module
 */

/** One address getaddrinfo returned. */
export interface SystemAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** How a system lookup ended. */
export type SystemLookupStatus = "ok" | "not-found" | "temporary-failure" | "timeout" | "error";

/** The result of {@link systemLookup}. */
export interface SystemLookup {
  readonly status: SystemLookupStatus;
  /** Each address once, in getaddrinfo's order. */
  readonly addresses: readonly SystemAddress[];
  /** The resolver's error code (`ENOTFOUND`, `EAI_AGAIN`, …) when it failed. */
  readonly code?: string;
  readonly timeMs: number;
}

/** Options of {@link systemLookup}. */
export interface SystemLookupOptions {
  /** Only IPv4 (4) or IPv6 (6); default both (AF_UNSPEC). */
  readonly family?: 4 | 6;
  /** Give up after this many milliseconds; default 5 000. */
  readonly timeoutMs?: number;
  /** Stop waiting when this aborts: the lookup then ends as an `error` with code `ABORTED`. */
  readonly signal?: AbortSignal;
}

interface BunDns {
  lookup(
    name: string,
    options: { family?: 0 | 4 | 6; backend?: string },
  ): Promise<{ address: string; family: number }[]>;
}

function bunDns(): BunDns | undefined {
  return (globalThis as { Bun?: { dns?: BunDns } }).Bun?.dns;
}

async function rawLookup(
  name: string,
  family: 4 | 6 | undefined,
): Promise<{ address: string; family: number }[]> {
  const bun = bunDns();
  if (bun) return await bun.lookup(name, { family: family ?? 0, backend: "system" });
  const dns = await import("node:dns");
  return await dns.promises.lookup(name, {
    all: true,
    order: "verbatim",
    ...(family ? { family } : {}),
  } as { all: true });
}

const NOT_FOUND = new Set(["ENOTFOUND", "ENODATA", "EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY"]);

/**
 * Resolves `name` with getaddrinfo. Never rejects: "not found" and failures come back as a
 * status. A lookup that outlives `timeoutMs` is reported as a timeout, one whose `signal` aborts
 * as an error with code `ABORTED` (getaddrinfo itself cannot be cancelled; its answer is then
 * ignored).
 */
export async function systemLookup(
  name: string,
  options: SystemLookupOptions = {},
): Promise<SystemLookup> {
  const { family, timeoutMs = 5000, signal } = options;
  const started = performance.now();
  const timeMs = () => Math.round((performance.now() - started) * 1000) / 1000;
  if (signal?.aborted) return { status: "error", addresses: [], code: "ABORTED", timeMs: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<"timeout" | "aborted">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
    onAbort = () => resolve("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const found = await Promise.race([rawLookup(name, family), cut]);
    if (found === "timeout") return { status: "timeout", addresses: [], timeMs: timeMs() };
    if (found === "aborted") {
      return { status: "error", addresses: [], code: "ABORTED", timeMs: timeMs() };
    }
    const seen = new Set<string>();
    const addresses: SystemAddress[] = [];
    for (const a of found) {
      if ((a.family !== 4 && a.family !== 6) || seen.has(a.address)) continue;
      if (family && a.family !== family) continue;
      seen.add(a.address);
      addresses.push({ address: a.address, family: a.family });
    }
    if (addresses.length === 0) {
      return { status: "not-found", addresses, code: "ENOTFOUND", timeMs: timeMs() };
    }
    return { status: "ok", addresses, timeMs: timeMs() };
  } catch (error) {
    const raw = String((error as { code?: unknown }).code ?? "ERROR");
    const code = raw.replace(/^DNS_/, "");
    const status: SystemLookupStatus = NOT_FOUND.has(code)
      ? "not-found"
      : code === "EAI_AGAIN" || code === "ETIMEOUT" || code === "ESERVFAIL"
      ? "temporary-failure"
      : "error";
    return { status, addresses: [], code, timeMs: timeMs() };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/** gethostname(): the kernel's host name (uname nodename). */
export async function systemHostname(): Promise<string> {
  const os = await import("node:os");
  return os.hostname();
}

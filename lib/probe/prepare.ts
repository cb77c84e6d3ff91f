/**
 * Turning {@link ProbeOptions} into a plan: the services table, the targets with their ports
 * resolved, and the host names resolved to addresses (once per run, or every round while a
 * wait's name does not resolve yet).
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { describeSource } from "../core/netdb.ts";
import { lookupHost } from "../net/host_lookup.ts";
import type { ProbeOptions, ServicesTable } from "./options.ts";
import { countPlan, type PlannedTarget, planTargets, portTokens, serviceMaps } from "./plan.ts";

/** A run's plan before its names are resolved. */
export interface PreparedPlan {
  readonly protocol: "tcp" | "udp";
  readonly planned: readonly PlannedTarget[];
  /** How many endpoints the plan holds. */
  readonly total: number;
  /** Port → service name for the protocol. */
  readonly byPort: ReadonlyMap<number, string>;
}

/** The longest a name lookup may take. */
const LOOKUP_TIMEOUT_MS = 5000;

async function builtinServices(): Promise<ServicesTable> {
  const { SERVICES } = await import("../data/services.ts");
  return { source: "embedded", entries: SERVICES };
}

/**
 * Checks the options and plans the targets. Throws an {@link InputError} for bad input: a
 * malformed target or port list, an unknown service, a target without ports, a Unix target or
 * a payload that does not fit the protocol.
 */
export async function preparePlan(options: ProbeOptions): Promise<PreparedPlan> {
  const protocol = options.protocol ?? "tcp";
  if (options.payload && options.payload.length > 0 && protocol !== "udp") {
    throw new InputError("a payload needs UDP: TCP probes only connect");
  }
  const services = options.services ?? await builtinServices();
  const { byName, byPort } = serviceMaps(services.entries, protocol);
  const planned = planTargets(
    options.targets,
    portTokens(options.ports),
    protocol,
    byName,
    describeSource(services.source, "services"),
  );
  checkBlockFamily(planned, options.family);
  return { protocol, planned, total: countPlan(planned), byPort };
}

/** Refuses an IPv4 CIDR block when only IPv6 addresses are asked for (an InputError naming it). */
function checkBlockFamily(planned: readonly PlannedTarget[], family: 4 | 6 | undefined): void {
  if (family !== 6) return;
  const block = planned.find((p) => p.target.kind === "block");
  if (block !== undefined) {
    throw new InputError(`cannot probe ${quote(block.target.text)} with -6: a CIDR block is IPv4`);
  }
}

/** Options of {@link resolveHosts}. */
export interface ResolveOptions {
  /** Only IPv4 (4) or only IPv6 (6) addresses; default both. */
  readonly family?: 4 | 6;
  /** No lookup outlives this `performance.now()` time; default none (5 s each). */
  readonly deadline?: number;
  /**
   * A name that does not resolve gets no addresses (its endpoints are `ENOTFOUND` until a later
   * call resolves it) instead of failing the call; default false.
   */
  readonly lenient?: boolean;
  /** Once aborted, lookups are not waited for: names left unresolved get no addresses. */
  readonly signal?: AbortSignal;
}

/**
 * Resolves the host names of a plan (each name once: `cache` keeps what resolved), keeping
 * `options.family`'s addresses only. Throws the lookup's `OperationalError` (`cannot resolve
 * "name": …`) unless `lenient`, and an `InputError` for a literal of the other family always.
 */
export async function resolveHosts(
  planned: readonly PlannedTarget[],
  cache: Map<string, readonly string[]>,
  options: ResolveOptions = {},
): Promise<PlannedTarget[]> {
  const out: PlannedTarget[] = [];
  for (const p of planned) {
    if (p.target.kind !== "host") {
      out.push(p);
      continue;
    }
    const host = p.target.host;
    let addresses = cache.get(host);
    if (!addresses) {
      try {
        const left = (options.deadline ?? Infinity) - performance.now();
        const lookup = lookupHost(host, {
          family: options.family,
          timeoutMs: Math.max(1, Math.min(LOOKUP_TIMEOUT_MS, left)),
        });
        const found = await untilAborted(lookup, options.signal);
        addresses = found?.map((a) => a.address) ?? [];
        if (found) cache.set(host, addresses);
      } catch (error) {
        // A literal of the other family is bad input, however long a wait would try.
        if (!options.lenient || error instanceof InputError) throw error;
        addresses = [];
      }
    }
    out.push({ ...p, addresses });
  }
  return out;
}

/** `promise`'s value, or undefined as soon as `signal` aborts (the promise is then left to end). */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      resolve(undefined);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The probe plan: every endpoint a run will try, generated lazily from the parsed targets (hosts
 * × ports, CIDR blocks walked address by address), so that a /16 times 65,535 ports is a loop,
 * not an array. Pure: names are resolved elsewhere (lib/probe/prepare.ts).
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { blockSize, numberToIpv4 } from "../core/ipv4_cidr.ts";
import {
  countPorts,
  hasPortRange,
  parsePortList,
  type PortRange,
  type PortToken,
  resolvePortList,
} from "../core/port_list.ts";
import type { ServiceEntry } from "../core/services.ts";
import { parseProbeTarget, type ProbeTarget } from "./target.ts";
import { CLAIM_CHUNK } from "./claims.ts";

/** A target with its ports resolved (null for Unix sockets) and, for host names, its addresses. */
export interface PlannedTarget {
  readonly target: ProbeTarget;
  readonly ports: readonly PortRange[] | null;
  /** The addresses of a `host` target, in the resolver's order (one for IP literals). */
  readonly addresses?: readonly string[];
  /** Whether this target is a scan: a CIDR block or a port range. */
  readonly scan?: boolean;
}

/** One endpoint to probe. */
export interface ProbeTask {
  /** Position in the plan, for ordered output. */
  readonly index: number;
  /** The target text. */
  readonly target: string;
  readonly kind: "ip" | "unix";
  /** The host as given (a block's address for CIDR targets); null for Unix sockets. */
  readonly host: string | null;
  /** Addresses to try in order until one is open (one for literals and blocks). */
  readonly addresses: readonly string[];
  readonly port: number | null;
  readonly path: string | null;
}

/** A services table's lookups for one protocol (first entry in file order wins). */
export interface ServiceMaps {
  readonly byName: ReadonlyMap<string, number>;
  readonly byPort: ReadonlyMap<number, string>;
}

/** Builds name→port and port→name lookups for one protocol, first entry in file order wins. */
export function serviceMaps(entries: readonly ServiceEntry[], proto: string): ServiceMaps {
  const byName = new Map<string, number>();
  const byPort = new Map<number, string>();
  for (const e of entries) {
    if (e.proto !== proto) continue;
    for (const name of [e.name, ...e.aliases]) if (!byName.has(name)) byName.set(name, e.port);
    if (!byPort.has(e.port)) byPort.set(e.port, e.name);
  }
  return { byName, byPort };
}

/** Port tokens from a port list given as text or already parsed. */
export function portTokens(
  ports: string | readonly PortToken[] | undefined,
): readonly PortToken[] | undefined {
  return typeof ports === "string" ? parsePortList(ports) : ports;
}

/**
 * Parses the targets and resolves their ports (`ports` for targets that name none; service
 * names through `byName`, `where` naming the table in messages). Throws an {@link InputError}
 * naming the token for a malformed target, a bad or unknown port, a target without ports, or a
 * Unix target in a UDP plan.
 */
export function planTargets(
  texts: readonly string[],
  ports: readonly PortToken[] | undefined,
  protocol: "tcp" | "udp",
  byName: ReadonlyMap<string, number>,
  where: string,
): PlannedTarget[] {
  if (texts.length === 0) throw new InputError("no target to probe");
  return texts.map((text) => {
    const target = parseProbeTarget(text);
    if (target.kind === "unix") {
      if (protocol === "udp") {
        throw new InputError(`cannot probe ${quote(text)} over UDP: Unix targets are streams`);
      }
      return { target, ports: null, scan: false };
    }
    const tokens = target.ports ?? ports;
    if (!tokens) {
      throw new InputError(
        `no port for target ${quote(text)}: write it as "host:port" or give -p PORTS`,
      );
    }
    const ranges = resolvePortList(tokens, (name) => byName.get(name), where);
    return { target, ports: ranges, scan: target.kind === "block" || hasPortRange(tokens) };
  });
}

/**
 * Whether targets are a scan (a CIDR block or a port range, in the target or in `ports`) rather
 * than single endpoints: views show only a scan's open ports by default. Malformed targets are
 * not a scan.
 */
export function isScan(
  texts: readonly string[],
  ports?: string | readonly PortToken[],
): boolean {
  try {
    const defaults = portTokens(ports);
    return texts.some((text) => {
      const t = parseProbeTarget(text);
      if (t.kind === "unix") return false;
      const tokens = t.ports ?? defaults;
      return t.kind === "block" || (tokens !== undefined && hasPortRange(tokens));
    });
  } catch {
    return false;
  }
}

/** How many endpoints the plan holds. */
export function countPlan(planned: readonly PlannedTarget[]): number {
  let n = 0;
  for (const p of planned) {
    if (p.target.kind === "unix") n += 1;
    else {
      const hosts = p.target.kind === "block" ? blockSize(p.target.block) : 1;
      n += hosts * countPorts(p.ports ?? []);
    }
  }
  return n;
}

/** Whether any target is a scan (a port range or a CIDR block) rather than single endpoints. */
export function isScanPlan(planned: readonly PlannedTarget[]): boolean {
  return planned.some((p) => p.scan === true);
}

/** Yields the plan's endpoints in order: targets as given, then addresses, then ports. */
export function planProbes(planned: readonly PlannedTarget[]): IterableIterator<ProbeTask> {
  // One range, the whole plan: it starts at 0, and the next start is past any plan's end.
  let started = false;
  return new PlanWalk(planned, () => {
    if (started) return Infinity;
    started = true;
    return 0;
  }, Infinity);
}

/**
 * Yields the plan's endpoints a chunk at a time, in each chunk in order: each chunk of `chunk`
 * indexes is claimed from `counter` (shared by every thread of a scan, see claims.ts), and the
 * walk ends once a claim is past the plan's end.
 */
export function claimedProbes(
  planned: readonly PlannedTarget[],
  counter: { claim(chunk: number): number },
  chunk: number = CLAIM_CHUNK,
): IterableIterator<ProbeTask> {
  return new PlanWalk(planned, () => counter.claim(chunk), chunk);
}

const WALK_DONE: IteratorResult<ProbeTask> = { done: true, value: undefined };

/**
 * Walks the plan through ranges of `length` indexes starting where `nextStart` says (ascending),
 * until a start is past the plan's end. A class rather than a generator: a scan calls `next` for
 * every port, and the JIT compiles a small method much faster than a generator's state machine.
 */
class PlanWalk implements IterableIterator<ProbeTask> {
  readonly #planned: readonly PlannedTarget[];
  readonly #nextStart: () => number;
  readonly #length: number;
  readonly #total: number;
  /** The target holding `#index`, its walk and the plan index of its first endpoint. */
  #target = -1;
  #walk: TargetWalk | undefined;
  #base = 0;
  #targetEnd = 0;
  #index = 0;
  #end = 0;

  constructor(planned: readonly PlannedTarget[], nextStart: () => number, length: number) {
    this.#planned = planned;
    this.#nextStart = nextStart;
    this.#length = length;
    this.#total = countPlan(planned);
  }

  [Symbol.iterator](): IterableIterator<ProbeTask> {
    return this;
  }

  next(): IteratorResult<ProbeTask> {
    if (this.#index >= this.#end && !this.#nextRange()) return WALK_DONE;
    const index = this.#index++;
    while (index >= this.#targetEnd) this.#nextTarget();
    return { done: false, value: this.#walk!.task(index - this.#base, index) };
  }

  /** Takes the next range; false once it starts past the plan's end. */
  #nextRange(): boolean {
    const start = this.#nextStart();
    if (start >= this.#total) {
      this.#end = this.#index = this.#total;
      return false;
    }
    this.#index = start;
    this.#end = Math.min(this.#total, start + this.#length);
    return true;
  }

  #nextTarget(): void {
    this.#target++;
    this.#base = this.#targetEnd;
    this.#walk = targetWalk(this.#planned[this.#target]);
    this.#targetEnd = this.#base + this.#walk.count;
  }
}

/**
 * The task at plan index `index` (as {@link planProbes} yields it), or undefined past the end.
 * A plan of one target finds it in constant time (a port list's ranges by binary search).
 */
export function taskAt(planned: readonly PlannedTarget[], index: number): ProbeTask | undefined {
  let base = 0;
  for (const p of planned) {
    const walk = targetWalk(p);
    if (index < base + walk.count) return walk.task(index - base, index);
    base += walk.count;
  }
  return undefined;
}

/** One target's endpoints by their position within it. */
interface TargetWalk {
  readonly count: number;
  task(offset: number, index: number): ProbeTask;
}

/** Walks of planned targets, kept while their plan lives (a plan's targets never change). */
const walks = new WeakMap<PlannedTarget, TargetWalk>();

function targetWalk(p: PlannedTarget): TargetWalk {
  let walk = walks.get(p);
  if (walk === undefined) {
    walk = makeWalk(p);
    walks.set(p, walk);
  }
  return walk;
}

function makeWalk(p: PlannedTarget): TargetWalk {
  const t = p.target;
  if (t.kind === "unix") {
    return {
      count: 1,
      task: (_, index) => ({
        index,
        target: t.text,
        kind: "unix",
        host: null,
        addresses: [],
        port: null,
        path: t.path,
      }),
    };
  }
  const ranges = p.ports ?? [];
  // starts[i]: the position of ranges[i].lo among the target's ports.
  const starts: number[] = [];
  let perHost = 0;
  for (const r of ranges) {
    starts.push(perHost);
    perHost += r.hi - r.lo + 1;
  }
  const hostCount = t.kind === "block" ? blockSize(t.block) : 1;
  const nameAddresses = t.kind === "host" ? (p.addresses ?? [t.host]) : [];
  // The last host's strings, reused by its ports (a block's hosts are made one at a time).
  let hostIndex = -1;
  let host = "";
  let addresses: readonly string[] = [];
  return {
    count: hostCount * perHost,
    task(offset, index) {
      const h = Math.floor(offset / perHost);
      if (h !== hostIndex) {
        hostIndex = h;
        if (t.kind === "block") {
          host = numberToIpv4((t.block.base + h) >>> 0);
          addresses = [host];
        } else {
          host = t.host;
          addresses = nameAddresses;
        }
      }
      const port = nthPort(ranges, starts, offset - h * perHost);
      return { index, target: t.text, kind: "ip", host, addresses, port, path: null };
    },
  };
}

/** The `n`th port (from 0) of sorted ranges whose first ports sit at `starts`. */
function nthPort(ranges: readonly PortRange[], starts: readonly number[], n: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= n) lo = mid;
    else hi = mid - 1;
  }
  return ranges[lo].lo + n - starts[lo];
}

/** The tasks whose index is not in `skip` (endpoints already settled in a wait). */
export function* skipIndexes<T extends { index: number }>(
  tasks: Iterable<T>,
  skip: ReadonlySet<number>,
): Generator<T> {
  for (const t of tasks) if (!skip.has(t.index)) yield t;
}

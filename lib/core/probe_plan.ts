/**
 * The probe plan: every endpoint `netdiag probe` will try, generated lazily from the parsed
 * targets (hosts × ports, CIDR blocks walked address by address), so that a /16 times 65,535
 * ports is a loop, not an array.
 * @module
 */
import { blockSize, expandIpv4Block } from "./ipv4_cidr.ts";
import { countPorts, type PortRange } from "./port_list.ts";
import type { ProbeTarget } from "./probe_target.ts";

/** A target with its ports resolved (null for Unix sockets) and, for host names, its addresses. */
export interface PlannedTarget {
  readonly target: ProbeTarget;
  readonly ports: readonly PortRange[] | null;
  /** The addresses of a `host` target, in the resolver's order (one for IP literals). */
  readonly addresses?: readonly string[];
  /** Whether this target is a scan: a CIDR block or a port range (human output: open only). */
  readonly scan?: boolean;
}

/** One endpoint to probe. */
export interface ProbeTask {
  /** Position in the plan, for ordered output. */
  readonly index: number;
  /** The TARGET operand. */
  readonly target: string;
  readonly kind: "ip" | "unix";
  /** The host as given (a block's address for CIDR targets); null for Unix sockets. */
  readonly host: string | null;
  /** Addresses to try in order until one is open (one for literals and blocks). */
  readonly addresses: readonly string[];
  readonly port: number | null;
  readonly path: string | null;
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
export function* planProbes(planned: readonly PlannedTarget[]): Generator<ProbeTask> {
  let index = 0;
  for (const p of planned) {
    const t = p.target;
    if (t.kind === "unix") {
      yield {
        index: index++,
        target: t.text,
        kind: "unix",
        host: null,
        addresses: [],
        port: null,
        path: t.path,
      };
      continue;
    }
    const hosts: Iterable<[string, readonly string[]]> = t.kind === "block"
      ? mapIterable(expandIpv4Block(t.block), (a) => [a, [a]])
      : [[t.host, p.addresses ?? [t.host]]];
    for (const [host, addresses] of hosts) {
      for (const r of p.ports ?? []) {
        for (let port = r.lo; port <= r.hi; port++) {
          yield { index: index++, target: t.text, kind: "ip", host, addresses, port, path: null };
        }
      }
    }
  }
}

function* mapIterable<A, B>(items: Iterable<A>, f: (a: A) => B): Generator<B> {
  for (const a of items) yield f(a);
}

/**
 * The tasks of one shard out of `shards` (those whose index is `shard` modulo `shards`), for
 * splitting a plan over threads: neighbouring ports go to different shards, so every shard gets
 * a fair share of slow and fast endpoints, and each thread walks the same lazy plan.
 */
export function* shardProbes(
  tasks: Iterable<ProbeTask>,
  shard: number,
  shards: number,
): Generator<ProbeTask> {
  for (const task of tasks) if (task.index % shards === shard) yield task;
}

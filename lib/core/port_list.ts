/**
 * Port lists as `probe -p` and `host:PORTS` take them: `22,80,443,8000-8100,http,ssh`. Parsing
 * is split in two: {@link parsePortList} checks the syntax (cheap, at argument-parse time) and
 * keeps service names as names; {@link resolvePortList} turns names into ports through a
 * services lookup and merges everything into sorted, disjoint ranges.
 * @module
 */
import { InputError, quote } from "./errors.ts";

/** One element of a port list as written: a port, a range or a service name. */
export type PortToken =
  | { readonly kind: "range"; readonly lo: number; readonly hi: number; readonly text: string }
  | { readonly kind: "name"; readonly name: string; readonly text: string };

/** An inclusive range of ports, `lo <= hi`. */
export interface PortRange {
  readonly lo: number;
  readonly hi: number;
}

const NUMBER = /^[0-9]+$/;
const RANGE = /^([0-9]+)-([0-9]+)$/;
const NAME = /^[A-Za-z][A-Za-z0-9._+*-]*$/;
const ALLOWED = 'expected ports 1-65535, ranges such as "8000-8100" or service names, ' +
  "separated by commas";

function port(digits: string, token: string): number {
  const n = Number(digits);
  if (!NUMBER.test(digits) || n < 1 || n > 65535) {
    throw new InputError(`port ${quote(digits)} in ${quote(token)} is out of range: ${ALLOWED}`);
  }
  return n;
}

/**
 * Parses a comma-separated port list: ports, `lo-hi` ranges and service names. Throws an
 * {@link InputError} naming the bad token for an empty list or element, port 0 or above 65535,
 * a reversed range or anything else.
 */
export function parsePortList(text: string): PortToken[] {
  if (text.trim() === "") throw new InputError(`empty port list ${quote(text)}: ${ALLOWED}`);
  return text.split(",").map((raw) => {
    const token = raw.trim();
    if (token === "") {
      throw new InputError(`empty element in port list ${quote(text)}: ${ALLOWED}`);
    }
    if (NUMBER.test(token)) {
      const p = port(token, token);
      return { kind: "range", lo: p, hi: p, text: token };
    }
    const m = RANGE.exec(token);
    if (m) {
      const lo = port(m[1], token);
      const hi = port(m[2], token);
      if (lo > hi) {
        throw new InputError(
          `reversed port range ${quote(token)}: write the smaller port first ("${hi}-${lo}")`,
        );
      }
      return { kind: "range", lo, hi, text: token };
    }
    if (NAME.test(token)) return { kind: "name", name: token, text: token };
    throw new InputError(`invalid port ${quote(token)}: ${ALLOWED}`);
  });
}

/** Looks a service name up for the probe's protocol: its port, or undefined when unknown. */
export type ServiceLookup = (name: string) => number | undefined;

/**
 * Resolves service names through `lookup` and merges the list into sorted, disjoint ranges
 * (duplicates and overlaps count once). Throws an {@link InputError} naming an unknown service;
 * `where` says which table was searched.
 */
export function resolvePortList(
  tokens: readonly PortToken[],
  lookup: ServiceLookup,
  where = "the services table",
): PortRange[] {
  const ranges: PortRange[] = tokens.map((t) => {
    if (t.kind === "range") return { lo: t.lo, hi: t.hi };
    const p = lookup(t.name);
    if (p === undefined || p < 1 || p > 65535) {
      throw new InputError(`unknown service ${quote(t.name)}: not found in ${where}`);
    }
    return { lo: p, hi: p };
  });
  return mergeRanges(ranges);
}

/** Sorts ranges and merges overlapping or adjacent ones. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  const out: { lo: number; hi: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1) last.hi = Math.max(last.hi, r.hi);
    else out.push({ lo: r.lo, hi: r.hi });
  }
  return out;
}

/** How many ports the ranges hold. */
export function countPorts(ranges: readonly PortRange[]): number {
  return ranges.reduce((n, r) => n + r.hi - r.lo + 1, 0);
}

/** Whether a token list holds a range of more than one port (`8000-8100`, not `22,80`). */
export function hasPortRange(tokens: readonly PortToken[]): boolean {
  return tokens.some((t) => t.kind === "range" && t.lo < t.hi);
}

/**
 * Expectations that turn a check into a test: accepted statuses (`200-399,404`), the leaf
 * certificate's days left, a body regex, and time limits (`total=500ms,connect=100ms`).
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { parseDuration } from "../core/parse_duration.ts";
import type { Slo, StatusRange } from "./types.ts";

/** Parses `200-399,404` into ranges. */
export function parseStatusRanges(text: string): StatusRange[] {
  return text.split(",").map((part) => {
    const m = /^\s*([1-5]\d\d)(?:\s*-\s*([1-5]\d\d))?\s*$/.exec(part);
    if (!m) {
      throw new InputError(`invalid status range ${quote(part)}: expected e.g. 200-399 or 404`);
    }
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (to < from) throw new InputError(`invalid status range ${quote(part)}: ${to} < ${from}`);
    return { from, to };
  });
}

/** Whether `code` is in one of `ranges`. */
export function statusAccepted(code: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => code >= r.from && code <= r.to);
}

const PHASES = ["namelookup", "connect", "appconnect", "pretransfer", "starttransfer", "total"];
const ALIASES: Record<string, keyof Slo> = {
  dns: "namelookup",
  tcp: "connect",
  tls: "appconnect",
  ttfb: "starttransfer",
};

/** Parses `total=500ms,connect=100ms` (curl's cumulative names; `dns`, `tcp`, `tls`, `ttfb` too). */
export function parseSlo(text: string): Slo {
  const out: Record<string, number> = {};
  for (const part of text.split(",")) {
    const m = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/.exec(part);
    const name = m ? (ALIASES[m[1]] ?? m[1]) : "";
    if (!m || !PHASES.includes(name)) {
      throw new InputError(
        `invalid SLO ${quote(part)}: expected PHASE=DURATION, PHASE one of ${PHASES.join(", ")}`,
      );
    }
    out[name] = parseDuration(m[2], { what: `SLO ${name}` });
  }
  return out as Slo;
}

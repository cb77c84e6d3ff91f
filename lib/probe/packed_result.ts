/**
 * A TCP probe result packed into two numbers, for the results of a large scan: one 32-bit word
 * (state, code, which of the task's addresses, attempts) and the latency. The rest of a result
 * (target, host, port, family, service) follows from its plan index, so a packed result is
 * rebuilt, equal field for field and in the same key order, only when it is read. Worker threads
 * post their results packed, and the run keeps them packed (see result_store.ts).
 * @module
 */
import { PROBE_STATES, type ProbeResult, type ProbeState } from "../core/probe_result.ts";
import type { ProbeTask } from "./plan.ts";

/** The codes a packed result can carry (others stay whole results); index 0 is null. */
const CODES: readonly (string | null)[] = [
  null,
  "ECONNREFUSED",
  "ETIMEDOUT",
  "SELF_CONNECT",
  "EMFILE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EACCES",
  "EADDRNOTAVAIL",
  "EINVAL",
  "ECONNRESET",
];
const CODE_INDEX = new Map(CODES.map((code, i) => [code, i]));
const STATE_INDEX = new Map(PROBE_STATES.map((state, i) => [state, i]));

/** The address index that means "no address" (a name that did not resolve). */
const NO_ADDRESS = 255;
/** Set in every packed word, so that 0 means "nothing recorded". */
const PRESENT = 0x8000_0000;

/** The state of a packed word, as its index in {@link PROBE_STATES}. */
export function packedStateIndex(word: number): number {
  return word & 7;
}

/** The state of a packed word. */
export function packedState(word: number): ProbeState {
  return PROBE_STATES[word & 7];
}

/** Whether a packed word holds a result (0 does not). */
export function isPacked(word: number): boolean {
  return (word & PRESENT) !== 0;
}

/** The index of a state in {@link PROBE_STATES}. */
export function stateIndex(state: ProbeState): number {
  return STATE_INDEX.get(state)!;
}

/**
 * Packs a TCP result of `task` into a word, or returns undefined when it does not fit (a UDP or
 * Unix result, an unusual code, an address not among the task's, more than 254 attempts).
 * `service` is what the plan's services table names the port. The latency is packed apart.
 */
export function packResult(
  result: ProbeResult,
  task: ProbeTask,
  service: string | null,
): number | undefined {
  if (result.transport !== "tcp" || task.kind !== "ip") return undefined;
  if (
    result.target !== task.target || result.host !== task.host || result.port !== task.port ||
    result.service !== service || "icmpVisible" in result || "replyBytes" in result
  ) return undefined;
  const address = result.address === null ? NO_ADDRESS : task.addresses.indexOf(result.address);
  if (address < 0 || address > NO_ADDRESS) return undefined;
  if (result.address !== null && result.family !== familyOf(result.address)) return undefined;
  if (result.address === null && result.family !== null) return undefined;
  const code = CODE_INDEX.get(result.code);
  const attempts = result.attempts;
  if (code === undefined || !Number.isInteger(attempts) || attempts < 0 || attempts > 254) {
    return undefined;
  }
  return (PRESENT | (attempts << 16) | (address << 8) | (code << 3) | stateIndex(result.state)) >>>
    0;
}

/**
 * Packs the outcome of a task's first address (a scan's literal) made in `attempts` attempts,
 * or returns undefined when its code is not one a packed result carries.
 */
export function packOutcome(
  state: ProbeState,
  code: string | null,
  attempts: number,
): number | undefined {
  const codeIndex = CODE_INDEX.get(code);
  if (codeIndex === undefined || attempts > 254) return undefined;
  return (PRESENT | (attempts << 16) | (codeIndex << 3) | stateIndex(state)) >>> 0;
}

/** The latency as packed: NaN for none. */
export function packLatency(latencyMs: number | null): number {
  return latencyMs === null ? NaN : latencyMs;
}

/** Rebuilds the result of `task` from its packed word and latency. */
export function unpackResult(
  task: ProbeTask,
  service: string | null,
  word: number,
  latency: number,
): ProbeResult {
  const addressIndex = (word >>> 8) & 255;
  const address = addressIndex === NO_ADDRESS ? null : task.addresses[addressIndex];
  return {
    target: task.target,
    transport: "tcp",
    host: task.host ?? address ?? "",
    address,
    port: task.port!,
    family: address === null ? null : familyOf(address),
    service,
    state: packedState(word),
    code: CODES[(word >>> 3) & 31],
    latencyMs: Number.isNaN(latency) ? null : latency,
    attempts: (word >>> 16) & 255,
  };
}

function familyOf(address: string): 4 | 6 {
  return address.includes(":") ? 6 : 4;
}

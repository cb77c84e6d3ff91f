/**
 * The latest result of every endpoint of a run, by plan index, kept small: TCP results packed
 * (see packed_result.ts) in typed arrays of 65,536 rows allocated as the plan reaches them, the
 * rare result that does not pack (UDP, Unix, an unusual code) as an object. A full-range scan
 * keeps 65,535 results in under a megabyte and builds objects only for the results read.
 * @module
 */
import { emptyCounts, PROBE_STATES, type ProbeCounts } from "../core/probe_result.ts";
import type { ProbeResult, ProbeState } from "../core/probe_result.ts";
import {
  isPacked,
  packedStateIndex,
  packLatency,
  packResult,
  stateIndex,
  unpackResult,
} from "./packed_result.ts";
import { type PlannedTarget, type ProbeTask, taskAt } from "./plan.ts";

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

interface Chunk {
  readonly words: Uint32Array;
  readonly latencies: Float64Array;
}

/** How a store rebuilds results: the plan (names resolved) and the port → service lookup. */
export interface StorePlan {
  readonly planned: readonly PlannedTarget[];
  readonly byPort: ReadonlyMap<number, string>;
}

/** Results by plan index, packed where they can be. */
export class ResultStore {
  readonly #chunks = new Map<number, Chunk>();
  readonly #objects = new Map<number, ProbeResult>();
  /** Rows of the first chunk (a small plan needs no 65,536). */
  readonly #firstChunkRows: number;
  readonly #stateCounts = [0, 0, 0, 0, 0];
  #size = 0;
  /** What results are rebuilt from; replaced when a wait resolves a name anew. */
  plan: StorePlan = { planned: [], byPort: new Map() };

  /** A store for a plan of `planned` endpoints. */
  constructor(planned: number) {
    this.#firstChunkRows = Math.max(1, Math.min(CHUNK, planned));
  }

  /** How many endpoints have a result. */
  get size(): number {
    return this.#size;
  }

  /** Counts by state of the results held. */
  counts(): ProbeCounts {
    const counts = emptyCounts();
    PROBE_STATES.forEach((state, i) => {
      if (state === "open|filtered") counts.openFiltered = this.#stateCounts[i];
      else counts[state] = this.#stateCounts[i];
    });
    return counts;
  }

  /** How many results are in `state`. */
  countOf(state: ProbeState): number {
    return this.#stateCounts[stateIndex(state)];
  }

  /** Records `result` for `index`; `task` (the endpoint's) lets it be packed. */
  set(index: number, result: ProbeResult, task?: ProbeTask): void {
    const word = task && task.kind === "ip"
      ? packResult(result, task, this.plan.byPort.get(task.port!) ?? null)
      : undefined;
    if (word !== undefined) {
      this.setPacked(index, word, packLatency(result.latencyMs));
      return;
    }
    this.#replacing(index);
    this.#objects.set(index, result);
    this.#stateCounts[stateIndex(result.state)]++;
  }

  /** Records a packed result for `index`. */
  setPacked(index: number, word: number, latency: number): void {
    this.#replacing(index);
    const chunk = this.#chunk(index, true)!;
    const row = index % CHUNK;
    chunk.words[row] = word;
    chunk.latencies[row] = latency;
    this.#stateCounts[packedStateIndex(word)]++;
  }

  /** The state of `index`'s result, or undefined when it has none. */
  stateOf(index: number): ProbeState | undefined {
    const word = this.#word(index);
    if (isPacked(word)) return PROBE_STATES[packedStateIndex(word)];
    return this.#objects.get(index)?.state;
  }

  /** The result of `index` (rebuilt when packed), or undefined when it has none. */
  get(index: number): ProbeResult | undefined {
    const chunk = this.#chunk(index, false);
    const row = index % CHUNK;
    if (chunk && isPacked(chunk.words[row])) {
      const task = taskAt(this.plan.planned, index);
      if (task === undefined) return undefined;
      const service = this.plan.byPort.get(task.port!) ?? null;
      return unpackResult(task, service, chunk.words[row], chunk.latencies[row]);
    }
    return this.#objects.get(index);
  }

  /** The indexes holding a result, in plan order, optionally only those whose state `keep`s. */
  *indexes(keep?: (state: ProbeState) => boolean): Generator<number> {
    const objects = [...this.#objects.keys()].sort((a, b) => a - b);
    let o = 0;
    const chunkIds = [...this.#chunks.keys()].sort((a, b) => a - b);
    for (const id of chunkIds) {
      const { words } = this.#chunks.get(id)!;
      const first = id * CHUNK;
      for (let row = 0; row < words.length; row++) {
        const word = words[row];
        if (word === 0) continue;
        const index = first + row;
        for (; o < objects.length && objects[o] < index; o++) {
          if (this.#keeps(objects[o], keep)) yield objects[o];
        }
        if (!keep || keep(PROBE_STATES[packedStateIndex(word)])) yield index;
      }
    }
    for (; o < objects.length; o++) if (this.#keeps(objects[o], keep)) yield objects[o];
  }

  #keeps(index: number, keep?: (state: ProbeState) => boolean): boolean {
    return !keep || keep(this.#objects.get(index)!.state);
  }

  /** Makes way for a new result of `index`: drops the old one, if any, from the counts. */
  #replacing(index: number): void {
    const chunk = this.#chunk(index, false);
    const row = index % CHUNK;
    if (chunk && isPacked(chunk.words[row])) {
      this.#stateCounts[packedStateIndex(chunk.words[row])]--;
      chunk.words[row] = 0;
      this.#size--;
    } else if (this.#objects.size > 0) {
      const old = this.#objects.get(index);
      if (old !== undefined) {
        this.#stateCounts[stateIndex(old.state)]--;
        this.#objects.delete(index);
        this.#size--;
      }
    }
    this.#size++;
  }

  #word(index: number): number {
    const chunk = this.#chunk(index, false);
    return chunk ? chunk.words[index % CHUNK] : 0;
  }

  #chunk(index: number, create: boolean): Chunk | undefined {
    const id = Math.floor(index / CHUNK);
    const chunk = this.#chunks.get(id);
    if (!create || (chunk !== undefined && index % CHUNK < chunk.words.length)) return chunk;
    // A new chunk; or a first chunk sized for a smaller plan than this index (never, in a run).
    const rows = id === 0 && index < this.#firstChunkRows ? this.#firstChunkRows : CHUNK;
    const grown = { words: new Uint32Array(rows), latencies: new Float64Array(rows) };
    if (chunk !== undefined) {
      grown.words.set(chunk.words);
      grown.latencies.set(chunk.latencies);
    }
    this.#chunks.set(id, grown);
    return grown;
  }
}

/**
 * Reading blackbox.yml's values the way blackbox_exporter's Go YAML decoding types them: a
 * section reader that tracks which keys were used (so unknown keys are refused by name) and
 * refuses valid blackbox keys netdiag does not support, and typed readers for booleans, integers,
 * strings, string lists and maps, Go durations and Go regular expressions. The document is parsed
 * with YAML's failsafe schema, so every scalar arrives as the text written and is typed here.
 * @module
 */
import { compileGoRegexp, GoRegexpError } from "./go_regexp.ts";
import { ConfigError } from "./types.ts";

/** A parsed YAML node under the failsafe schema. */
export type Node = string | Node[] | { [key: string]: Node } | null;

/** Whether a node is YAML's null (empty, `~`, `null`). */
export function isNull(node: Node | undefined): boolean {
  return node === undefined || node === null ||
    (typeof node === "string" && /^(|~|null|Null|NULL)$/.test(node));
}

/** A map section of one module: typed reads by key, then {@link Section.done} for the rest. */
export class Section {
  readonly #map: Readonly<Record<string, Node>>;
  readonly #used = new Set<string>();

  /**
   * @param module The module's name, for messages.
   * @param path The section's dotted path (`http`, `http.tls_config`), "" for the module.
   * @param node The section's node (null for an empty section).
   */
  constructor(readonly module: string, readonly path: string, node: Node | undefined) {
    if (isNull(node)) this.#map = {};
    else if (typeof node === "object" && !Array.isArray(node)) this.#map = node!;
    else throw this.error(path, "must be a map of keys");
  }

  /** The dotted path of `key` in this section. */
  keyPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  /** A ConfigError naming the module and `key` (a full dotted path). */
  error(key: string, what: string): ConfigError {
    return new ConfigError(
      `module ${JSON.stringify(this.module)}: key ${JSON.stringify(key)} ${what}`,
    );
  }

  /** The node of `key` (undefined when absent or null), marked as used. */
  node(key: string): Node | undefined {
    this.#used.add(key);
    const n = this.#map[key];
    return isNull(n) ? undefined : n;
  }

  /** Whether `key` is present (and not null). */
  has(key: string): boolean {
    return !isNull(this.#map[key]);
  }

  /** A string value (scalars as written), or `fallback`. */
  string(key: string): string | undefined {
    const n = this.node(key);
    if (n === undefined) return undefined;
    if (typeof n !== "string") throw this.error(this.keyPath(key), "must be a string");
    return n;
  }

  /** A boolean (`true` / `false`), or `fallback`. */
  bool(key: string, fallback: boolean): boolean {
    const n = this.string(key);
    if (n === undefined) return fallback;
    if (n === "true") return true;
    if (n === "false") return false;
    throw this.error(this.keyPath(key), `must be true or false, not ${JSON.stringify(n)}`);
  }

  /** An integer within [min, max], or `fallback`. */
  int(key: string, fallback: number, min: number, max: number): number {
    const n = this.string(key);
    if (n === undefined) return fallback;
    const v = /^[-+]?\d+$/.test(n) ? Number(n) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      throw this.error(
        this.keyPath(key),
        `must be an integer from ${min} to ${max}, not ${JSON.stringify(n)}`,
      );
    }
    return v;
  }

  /** A list of scalars ([] when absent). */
  list(key: string): string[] {
    const n = this.node(key);
    if (n === undefined) return [];
    if (!Array.isArray(n) || n.some((x) => typeof x !== "string")) {
      throw this.error(this.keyPath(key), "must be a list of values");
    }
    return n as string[];
  }

  /** A list of maps, each as its own Section (`key[i]`). */
  sections(key: string): Section[] {
    const n = this.node(key);
    if (n === undefined) return [];
    if (!Array.isArray(n)) throw this.error(this.keyPath(key), "must be a list");
    return n.map((x, i) => new Section(this.module, `${this.keyPath(key)}[${i}]`, x));
  }

  /** A map of string to string. */
  stringMap(key: string): Record<string, string> {
    const sub = new Section(this.module, this.keyPath(key), this.node(key));
    const out: Record<string, string> = {};
    for (const k of sub.keys()) {
      const v = sub.string(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** A Go regular expression. */
  regexp(key: string, text: string): RegExp {
    try {
      return compileGoRegexp(text);
    } catch (error) {
      const why = error instanceof GoRegexpError ? error.message : String(error);
      throw this.error(
        key,
        `has regular expression ${JSON.stringify(text)} that cannot be used: ${why}`,
      );
    }
  }

  /** The section's keys. */
  keys(): string[] {
    return Object.keys(this.#map);
  }

  /**
   * Refuses each present key of `unsupported` (a valid blackbox key netdiag does not support,
   * with the reason), then every key not read: the message names the module and the key.
   */
  done(unsupported: Readonly<Record<string, string>> = {}): void {
    for (const [key, why] of Object.entries(unsupported)) {
      if (this.has(key)) throw this.error(this.keyPath(key), `is not supported by netdiag: ${why}`);
      this.#used.add(key);
    }
    for (const key of this.keys()) {
      if (!this.#used.has(key)) {
        throw new ConfigError(
          `module ${JSON.stringify(this.module)}: unknown key ${JSON.stringify(this.keyPath(key))}`,
        );
      }
    }
  }
}

const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration (`5s`, `1m30s`, `1.5s`, `300ms`) in milliseconds; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m; (m = re.exec(text));) {
    total += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  return at === text.length && at > 0 ? total : undefined;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** A size as blackbox's `body_size_limit` reads it (`10MB` = 10 MiB, base 2); undefined when invalid. */
export function parseBase2Size(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(\d+)([KMGT]i?B|B)$/.exec(text);
  return m ? Number(m[1]) * SIZE_UNITS[m[2]] : undefined;
}

/**
 * Loading blackbox.yml: blackbox_exporter 0.23's module format with its defaults, strictly. Invalid
 * YAML (with its line), unknown keys at any level, the probers netdiag cannot run (`icmp`,
 * `grpc`), valid blackbox keys it does not support and bad values (durations, Go regular
 * expressions, enumerations) are each a {@link ConfigError} naming the module and key, never
 * silently ignored. netdiag's own options live in a module's `netdiag:` map.
 * @module
 */
import { parseDocument } from "yaml";
import { isNull, type Node, parseGoDuration, Section } from "./config_values.ts";
import { readDns, readHttp, readTcp } from "./config_probers.ts";
import {
  ConfigError,
  type ExporterConfig,
  type Module,
  type NetdiagModuleOptions,
  type ProberName,
} from "./types.ts";

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The directory relative file names (`tls_config.ca_file`, …) start from. */
  readonly baseDir: string;
  /** Reads a file's text (throws when it cannot). */
  readonly readTextFile: (path: string) => string;
}

const REFUSED_PROBERS: Readonly<Record<string, string>> = {
  icmp: "neither Deno nor Bun can open raw ICMP sockets",
  grpc: "netdiag has no gRPC client",
};

/** The most connects `netdiag.connects` may ask for. */
export const MAX_CONNECTS = 100;

function joinPath(baseDir: string, path: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) return path;
  return `${baseDir.replace(/[\\/]+$/, "")}/${path}`;
}

function readNetdiag(s: Section, prober: ProberName): NetdiagModuleOptions {
  const n = new Section(s.module, "netdiag", s.node("netdiag"));
  const out = {
    allAddresses: n.bool("all_addresses", false),
    connects: n.int("connects", 1, 1, MAX_CONNECTS),
  };
  n.done();
  if (prober === "dns" && (out.allAddresses || out.connects > 1)) {
    throw n.error(
      out.allAddresses ? "netdiag.all_addresses" : "netdiag.connects",
      "applies to http and tcp modules only",
    );
  }
  return out;
}

function readModule(name: string, node: Node, options: ParseConfigOptions): Module {
  const s = new Section(name, "", node);
  const prober = s.string("prober");
  if (!prober) throw s.error("prober", "is missing: say http, tcp or dns");
  if (prober in REFUSED_PROBERS) {
    throw new ConfigError(
      `module ${JSON.stringify(name)}: prober ${
        JSON.stringify(prober)
      } is not supported by netdiag: ${REFUSED_PROBERS[prober]}`,
    );
  }
  if (prober !== "http" && prober !== "tcp" && prober !== "dns") {
    throw s.error("prober", `has ${JSON.stringify(prober)}: expected http, tcp or dns`);
  }
  const timeoutText = s.string("timeout");
  const timeoutMs = timeoutText === undefined ? 0 : parseGoDuration(timeoutText);
  if (timeoutMs === undefined) {
    throw s.error(
      "timeout",
      `must be a duration such as 5s or 1m30s, not ${JSON.stringify(timeoutText)}`,
    );
  }
  const read = (path: string) => options.readTextFile(joinPath(options.baseDir, path));
  const section = (key: string) => new Section(name, key, s.node(key));
  // Every prober's section is checked, as blackbox_exporter decodes them all; the module's own is kept.
  const http = s.has("http") || prober === "http" ? readHttp(section("http"), read) : undefined;
  const tcp = s.has("tcp") || prober === "tcp" ? readTcp(section("tcp"), read) : undefined;
  const dns = s.has("dns") || prober === "dns" ? readDns(section("dns"), read) : undefined;
  const netdiag = readNetdiag(s, prober);
  s.done({
    icmp: `netdiag has no icmp prober (${REFUSED_PROBERS.icmp})`,
    grpc: `netdiag has no grpc prober (${REFUSED_PROBERS.grpc})`,
  });
  return {
    name,
    prober,
    timeoutMs,
    ...(prober === "http" ? { http } : prober === "tcp" ? { tcp } : { dns }),
    netdiag,
  };
}

function yamlError(text: string): ConfigError | undefined {
  const doc = parseDocument(text, { schema: "failsafe" });
  const e = doc.errors[0];
  if (!e) return undefined;
  const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
  return new ConfigError(
    `invalid YAML${where}: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
  );
}

/**
 * Parses blackbox.yml `text` (see the module). Throws {@link ConfigError} for anything it cannot
 * use; reads files named in it (CA files, password files) with `options.readTextFile`, relative
 * names from `options.baseDir`.
 */
export function parseConfig(text: string, options: ParseConfigOptions): ExporterConfig {
  const error = yamlError(text);
  if (error) throw error;
  const doc = parseDocument(text, { schema: "failsafe" });
  let root: Node;
  try {
    root = doc.toJS({ maxAliasCount: 1000 }) as Node;
  } catch (e) {
    throw new ConfigError(`invalid YAML: ${(e as Error).message}`);
  }
  if (isNull(root)) throw new ConfigError('the config is empty: expected a "modules" map');
  if (typeof root !== "object" || Array.isArray(root)) {
    throw new ConfigError('the config must be a map with a "modules" key');
  }
  for (const key of Object.keys(root!)) {
    if (key !== "modules") throw new ConfigError(`unknown top-level key ${JSON.stringify(key)}`);
  }
  const modulesNode = root!.modules;
  if (!isNull(modulesNode) && (typeof modulesNode !== "object" || Array.isArray(modulesNode))) {
    throw new ConfigError('"modules" must be a map of module names to modules');
  }
  const modules = new Map<string, Module>();
  for (const [name, node] of Object.entries((modulesNode ?? {}) as Record<string, Node>)) {
    modules.set(name, readModule(name, node, options));
  }
  return { modules, source: text };
}

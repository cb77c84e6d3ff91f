/**
 * The flags of `netdiag exporter`: their types, parsers and declarations. Light (no engine code),
 * for the definition.
 * @module
 */
import { parseBindHost } from "../../../core/bind_host.ts";
import { InputError, quote } from "../../../core/errors.ts";
import { parseDuration } from "../../../core/parse_duration.ts";
import { parseCount, parsePort } from "../../../core/parse_number.ts";
import { type AllowEntry, parseAllowEntry } from "../../../exporter/allow_list.ts";
import type { FlagConflict } from "../../flag_conflicts.ts";
import { proposeFiles } from "../completions/propose.ts";

/** Where the exporter listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** The flags of `netdiag exporter`. */
export interface ExporterFlags {
  readonly config: string;
  readonly listen: ListenAddress;
  readonly allowTarget?: readonly AllowEntry[];
  readonly allowAnyTarget?: boolean;
  /** Milliseconds. */
  readonly timeoutOffset: number;
  readonly maxConcurrent: number;
  readonly checkConfig?: boolean;
}

/**
 * Parses `--listen`: `ADDR:PORT`, `[IPv6]:PORT`, `:PORT` (every IPv4 interface, as
 * blackbox_exporter's `:9115`) or a bare `PORT` (127.0.0.1).
 */
export function parseListen(text: string): ListenAddress {
  if (/^\d+$/.test(text)) return { host: "127.0.0.1", port: parsePort(text, true) };
  const colon = text.lastIndexOf(":");
  const bracketed = text.startsWith("[") && text.lastIndexOf("]") === colon - 1;
  if (colon < 0 || (text.indexOf(":") !== colon && !bracketed)) {
    throw new InputError(
      `invalid listen address ${quote(text)}: expected ADDR:PORT, [IPv6]:PORT or :PORT`,
    );
  }
  const hostText = bracketed ? text.slice(1, colon - 1) : text.slice(0, colon);
  return {
    host: hostText === "" ? "0.0.0.0" : parseBindHost(hostText),
    port: parsePort(text.slice(colon + 1), true),
  };
}

/** Flags of `exporter` that cannot be given together. */
export const EXPORTER_CONFLICTS: readonly FlagConflict[] = [
  { flags: ["allowTarget", "allowAnyTarget"], reason: "an allow-list or any target, not both" },
];

/** The flag declarations of `exporter`. */
export const exporterFlags = {
  config: {
    kind: "parsed",
    parse: String,
    brief: "The blackbox.yml to load (blackbox_exporter's --config.file)",
    placeholder: "file",
    default: "blackbox.yml",
    proposeCompletions: proposeFiles,
  },
  listen: {
    kind: "parsed",
    parse: parseListen,
    brief: "Address to serve on: ADDR:PORT, [IPv6]:PORT, :PORT (every interface)",
    placeholder: "addr:port",
    default: "127.0.0.1:9115",
  },
  allowTarget: {
    kind: "parsed",
    parse: parseAllowEntry,
    brief: "Probe only these targets: CIDR, address, host or *.domain (repeatable)",
    placeholder: "cidr|host",
    variadic: true,
    optional: true,
  },
  allowAnyTarget: {
    kind: "boolean",
    brief: "Listen beyond loopback without --allow-target (any target may be probed)",
    optional: true,
  },
  timeoutOffset: {
    kind: "parsed",
    parse: (t: string) => parseDuration(t, { what: "timeout offset", minMs: 0, maxMs: 60_000 }),
    brief: "Taken off Prometheus's scrape timeout to give the probe's (seconds or 500ms)",
    placeholder: "duration",
    default: "0.5",
  },
  maxConcurrent: {
    kind: "parsed",
    parse: (t: string) => parseCount(t, "max concurrent probes", 100_000),
    brief: "Most probes at once; more wait up to their timeout, then get 503",
    placeholder: "n",
    default: "100",
  },
  checkConfig: {
    kind: "boolean",
    brief: "Load the config, say whether it is valid and exit (0 valid, 2 not)",
    optional: true,
  },
} as const;

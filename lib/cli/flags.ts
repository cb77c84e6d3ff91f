/** Flag definitions shared by many commands, spread into each command's `flags`. */
import { parseBindHost } from "../core/bind_host.ts";

/** `--json`: one JSON document on stdout. */
export const jsonFlag = {
  json: { kind: "boolean", brief: "Print the result as one JSON document", optional: true },
} as const;

/** `--json` and `--ndjson`, for commands that stream results. */
export const streamFlags = {
  ...jsonFlag,
  ndjson: {
    kind: "boolean",
    brief: "Print one JSON object per line as results complete, then a summary line",
    optional: true,
  },
} as const;

/**
 * `--host`: the address a server binds; loopback unless the user asks for more. Text that is no
 * IP address or host name is refused when the arguments are parsed (exit 2).
 */
export const bindHostFlag = {
  host: {
    kind: "parsed",
    parse: parseBindHost,
    brief: "Address to bind (0.0.0.0 or :: for every interface)",
    default: "127.0.0.1",
  },
} as const;

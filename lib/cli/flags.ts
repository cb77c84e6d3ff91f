/** Flag definitions shared by many commands, spread into each command's `flags`. */
import { parseBindHost } from "../core/bind_host.ts";
import { parsePort } from "../core/parse_number.ts";

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

/** `--ipv4` / `--ipv6` (`-4` / `-6`, rewritten by lib/cli/run.ts): one family of a name's addresses. */
export const familyFlags = {
  ipv4: { kind: "boolean", brief: "Use only the name's IPv4 addresses (-4)", optional: true },
  ipv6: { kind: "boolean", brief: "Use only the name's IPv6 addresses (-6)", optional: true },
} as const;

/** `--tcp` as a choice of transport: TCP is the default, the flag says so (`-t`). */
export const tcpFlag = {
  tcp: {
    kind: "boolean",
    brief: "Use TCP (the default; -t, as nc and ss spell it)",
    optional: true,
  },
} as const;

/** `--quiet` (`-q`) for a command that prints one line per result: the summary stays. */
export const quietSummaryFlag = {
  quiet: {
    kind: "boolean",
    brief: "No per-result lines or progress: only the summary line and the exit code",
    optional: true,
  },
} as const;

/** `--port` / `-p` of a server: the same as its PORT operand (docs/endpoints.md). */
export const serverPortFlag = {
  port: {
    kind: "parsed",
    parse: (text: string) => parsePort(text, true),
    brief: "Port to listen on, the same as the PORT operand (0 picks a free one)",
    placeholder: "port",
    optional: true,
  },
} as const;

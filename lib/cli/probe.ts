import { buildCommand } from "@stricli/core";
import { InputError, quote } from "../core/errors.ts";
import { decodeEscapes } from "../core/escapes.ts";
import { parseHexBytes } from "../core/hex_bytes.ts";
import { parseDuration } from "../core/parse_duration.ts";
import { parseCount } from "../core/parse_number.ts";
import { parsePortList, type PortToken } from "../core/port_list.ts";
import { streamFlags } from "./flags.ts";

/** The flags of `netdiag probe`. */
export interface ProbeFlags {
  readonly ports?: PortToken[];
  readonly udp?: boolean;
  readonly payload?: Uint8Array;
  readonly timeout: number;
  readonly retries: number;
  readonly rate?: number;
  readonly concurrency?: number;
  readonly threads?: number;
  readonly wait?: number;
  readonly until: "open" | "closed";
  readonly any?: boolean;
  readonly interval: number;
  readonly all?: boolean;
  readonly json?: boolean;
  readonly ndjson?: boolean;
  readonly quiet?: boolean;
}

/** Reads `--payload`: `0x` then hex digits is bytes, anything else text with `\n`-style escapes. */
export function parsePayload(text: string): Uint8Array {
  return /^0[xX][0-9a-fA-F]*$/.test(text) && text.length > 2
    ? parseHexBytes(text)
    : decodeEscapes(text);
}

function parseRetries(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 10) {
    throw new InputError(`invalid retries ${quote(text)}: expected a whole number from 0 to 10`);
  }
  return Number(text);
}

const duration = (what: string, maxMs?: number) => (text: string) =>
  parseDuration(text, { what, ...(maxMs ? { maxMs } : {}) });

/** `netdiag probe TARGET... [-p PORTS]`: is it open? TCP, UDP and Unix sockets, ranges, waits. */
export const probeCommand = buildCommand({
  loader: () => import("./probe_run.ts"),
  parameters: {
    flags: {
      ports: {
        kind: "parsed",
        parse: parsePortList,
        brief: "Ports for targets without their own: 22,80,8000-8100,http,ssh",
        placeholder: "list",
        optional: true,
      },
      udp: {
        kind: "boolean",
        brief: "Probe UDP: send a datagram, wait for a reply",
        optional: true,
      },
      payload: {
        kind: "parsed",
        parse: parsePayload,
        brief: "UDP payload: text with \\n-style escapes, or 0x-hex bytes (default empty)",
        placeholder: "text|0xhex",
        optional: true,
      },
      timeout: {
        kind: "parsed",
        parse: duration("timeout"),
        brief: "Per-attempt timeout: no answer by then is filtered (TCP) or open|filtered (UDP)",
        placeholder: "duration",
        default: "1s",
      },
      retries: {
        kind: "parsed",
        parse: parseRetries,
        brief: "Extra attempts after silence (0-10); refusals are never retried",
        placeholder: "n",
        default: "0",
      },
      rate: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "rate", 1_000_000),
        brief: "At most this many probes started per second (default unlimited)",
        placeholder: "n",
        optional: true,
      },
      concurrency: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "concurrency", 65_536),
        brief:
          "Probes in flight at once, all threads (default 256 a thread, Deno 128; ulimit -n caps)",
        placeholder: "n",
        optional: true,
      },
      threads: {
        kind: "parsed",
        parse: (t: string) => parseCount(t, "threads", 16),
        brief: "Threads for a TCP scan (default one per core, at most 4, if 4096+ probes each)",
        placeholder: "n",
        optional: true,
      },
      wait: {
        kind: "parsed",
        parse: duration("wait"),
        brief: "Keep probing until the condition holds or this deadline passes (exit 1)",
        placeholder: "duration",
        optional: true,
      },
      until: {
        kind: "enum",
        values: ["open", "closed"],
        brief: "The state to wait for (and to expect without --wait)",
        default: "open",
      },
      any: {
        kind: "boolean",
        brief: "Any one endpoint in the state suffices (default: every one)",
        optional: true,
      },
      interval: {
        kind: "parsed",
        parse: duration("interval"),
        brief: "Pause between --wait rounds",
        placeholder: "duration",
        default: "500ms",
      },
      all: {
        kind: "boolean",
        brief: "Show every state for ranges and blocks (default: open ports only)",
        optional: true,
      },
      ...streamFlags,
      quiet: { kind: "boolean", brief: "Print nothing; only the exit code tells", optional: true },
    },
    aliases: { p: "ports", q: "quiet", u: "udp", t: "timeout", w: "wait" },
    positional: {
      kind: "array",
      minimum: 1,
      parameter: {
        brief: "host:port, host:lo-hi, [v6]:port, unix:/path, a CIDR block, or a host with -p",
        placeholder: "target",
        parse: String,
      },
    },
  },
  docs: {
    brief: "Probe TCP, UDP and Unix socket ports: open, closed or filtered",
    fullDescription:
      "Connects to each endpoint (TCP, Unix) or sends a datagram (--udp) and reports its state " +
      "as nmap names them: open, closed (refused, or an ICMP port-unreachable), filtered (no " +
      "answer before --timeout), open|filtered (UDP silence), error (with the system code). " +
      "Ranges and IPv4 blocks up to /16 are scanned with a sliding window of probes (large TCP " +
      "scans in one thread per core, --threads); a loopback " +
      "connect that meets itself is reported closed, not open. With --wait, probing repeats " +
      "until every endpoint (--any: one) is open (--until closed: closed); after `--` a command " +
      "runs on success and netdiag exits with its status.\n\n" +
      "Exit codes: 0 every endpoint in the expected state, 1 otherwise (or the --wait deadline " +
      "passed), 2 bad input, 3 operational failure (a host that cannot be resolved, a network " +
      "error).\n\n" +
      "Examples:\n" +
      "  netdiag probe 127.0.0.1:22\n" +
      "  netdiag probe example.com -p http,https\n" +
      "  netdiag probe 127.0.0.1:1-65535 --json\n" +
      "  netdiag probe 10.0.0.0/24:22 --ndjson --timeout 300ms\n" +
      "  netdiag probe unix:/run/docker.sock\n" +
      "  netdiag probe --udp 127.0.0.1:53 --payload 0x00\n" +
      "  netdiag probe db:5432 --wait 30s -- ./migrate.sh",
  },
});

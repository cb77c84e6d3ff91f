/**
 * `netdiag probe TARGET... [-p PORTS]`: the command's flags, help and loader. Light: the engine
 * (lib/probe/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { conflictsHelp } from "../../flag_conflicts.ts";
import { PROBE_CONFLICTS, probeAliases, probeFlags } from "./flags.ts";
import { proposeProbeTarget } from "../completions/propose.ts";

/** `netdiag probe TARGET... [-p PORTS]`: is it open? TCP, UDP and Unix sockets, ranges, waits. */
export const probeCommand = buildCommand({
  loader: async () => documented("probe", (await import("./run.ts")).probeCommand, PROBE_CONFLICTS),
  parameters: {
    flags: probeFlags,
    aliases: probeAliases,
    positional: {
      kind: "array",
      minimum: 1,
      parameter: {
        brief: "host:port, host:lo-hi, [v6]:port, unix:/path, a CIDR block, or a host with -p",
        placeholder: "target",
        parse: String,
        proposeCompletions: proposeProbeTarget,
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
      "scans in one thread per core, --threads); a loopback connect that meets itself is " +
      "reported closed, not open. With --wait, probing repeats until every endpoint (--any: " +
      "one) is open (--until closed: closed); after `--` a command runs on success and netdiag " +
      "exits with its status. --open prints and keeps only open endpoints (every format; the " +
      "summary counts all).\n\n" +
      "Exit codes: 0 every endpoint in the expected state (--any: at least one, also for scans), " +
      "1 otherwise (or the --wait deadline passed), 2 bad input, 3 operational failure (a host that cannot be resolved, a network " +
      "error), 130 interrupted (the report still printed).\n" +
      conflictsHelp(PROBE_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag probe 127.0.0.1:22\n" +
      "  netdiag probe example.com -p http,https\n" +
      "  netdiag probe 127.0.0.1:1-65535 --json\n" +
      "  netdiag probe 127.0.0.1:1-65535 --open --any   # exit 0 if any port is open\n" +
      "  netdiag probe 10.0.0.0/24:22 --ndjson --timeout 300ms\n" +
      "  netdiag probe unix:/run/docker.sock\n" +
      "  netdiag probe --udp 127.0.0.1:53 --payload 0x00\n" +
      "  netdiag probe db:5432 --wait 30s -- ./migrate.sh",
  },
});

/**
 * `netdiag hostname [--fqdn]`: the command's flags, help and loader. Light: the engine
 * (lib/resolve/) loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { jsonFlag } from "../../flags.ts";
import { timeoutFlag } from "../lookup_flags.ts";

/** The flags of `netdiag hostname`. */
export interface HostnameFlags {
  readonly fqdn?: boolean;
  readonly timeout: number;
  readonly json?: boolean;
}

/** `netdiag hostname [--fqdn]`: gethostname, or getfqdn with CPython's rule. */
export const hostnameCommand = buildCommand({
  loader: async () => documented("hostname", (await import("./run.ts")).hostnameCommand),
  parameters: {
    flags: {
      ...jsonFlag,
      fqdn: {
        kind: "boolean",
        brief: "The fully qualified name, as CPython's socket.getfqdn() finds it",
        optional: true,
      },
      timeout: {
        ...timeoutFlag.timeout,
        brief: "Give up on each lookup --fqdn makes after this long",
      },
    },
    aliases: { j: "json", w: "timeout" },
    positional: { kind: "tuple", parameters: [] },
  },
  docs: {
    brief: "Print the host name (gethostname), or with --fqdn the fully qualified name",
    fullDescription: "Prints what socket.gethostname() returns. With --fqdn, follows CPython's " +
      "socket.getfqdn(): look the host name up with gethostbyaddr (its first address from " +
      "getaddrinfo, then the hosts file, then a PTR query) and take the first of the answer's " +
      "host name and aliases that contains a dot, else the answer's host name; when the lookup " +
      "fails, the plain host name. --json shows the steps.\n" +
      "Exit codes: 0 always (getfqdn falls back to the host name), 2 bad input.\n\n" +
      "Examples:\n" +
      "  netdiag hostname\n" +
      "  netdiag hostname --fqdn\n" +
      "  netdiag hostname --fqdn --json",
  },
});

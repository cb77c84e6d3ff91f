/** The `info` command's definition. */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { jsonFlag } from "../../flags.ts";

/** `info`: runtime, platform, byte order, IPv6 support and interfaces. */
export const infoCommand = buildCommand({
  loader: async () => documented("info", (await import("./run.ts")).infoCommand),
  parameters: { flags: { ...jsonFlag }, aliases: { j: "json" } },
  docs: {
    brief: "Show the runtime, byte order, IPv6 support and network interfaces",
    fullDescription: "Prints netdiag's version, the runtime it runs on, the platform, the host " +
      "byte order, whether IPv6 is available (::1 configured on an interface) and every " +
      "interface address with its CIDR, loopback flag and MAC. Reads interface data only; " +
      "opens no sockets.\n\n" +
      "Examples:\n  netdiag info\n  netdiag info --json",
  },
});

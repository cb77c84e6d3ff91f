import { buildApplication, buildRouteMap } from "@stricli/core";
import { VERSION } from "../version.ts";
import {
  htonlCommand,
  htonsCommand,
  ntohlCommand,
  ntohsCommand,
} from "./commands/byte_order/definition.ts";
import { atonCommand, ntoaCommand, ntopCommand, ptonCommand } from "./commands/inet/definition.ts";
import { serviceCommand } from "./commands/service/definition.ts";
import { protoCommand } from "./commands/proto/definition.ts";
import { infoCommand } from "./commands/info/definition.ts";
import { completeCommand, completionsCommand } from "./commands/completions/definition.ts";
import { connectCommand } from "./commands/connect/definition.ts";
import { listenCommand } from "./commands/listen/definition.ts";
import { echoRoutes } from "./commands/echo/routes.ts";
import { receiveCommand } from "./commands/receive/definition.ts";
import { sendCommand } from "./commands/send/definition.ts";
import { dnsCommand } from "./commands/dns/definition.ts";
import { hostnameCommand } from "./commands/hostname/definition.ts";
import { resolveCommand } from "./commands/resolve/definition.ts";
import { reverseCommand } from "./commands/reverse/definition.ts";
import { probeCommand } from "./commands/probe/definition.ts";
import { helpCommand } from "./commands/help/definition.ts";
import { versionCommand } from "./commands/version/definition.ts";
import { checkCommand } from "./commands/check/definition.ts";
import { pingCommand } from "./commands/ping/definition.ts";
import { exporterCommand } from "./commands/exporter/definition.ts";
import type { NetdiagContext } from "./context.ts";
import { cliText } from "./text.ts";
import { determineExitCode } from "./exit.ts";

// Command definitions are light (flags and docs); each command's heavy modules load in its
// own `loader` only when it runs, so `netdiag htons 20000` stays mostly start-up.
const routes = {
  htons: htonsCommand,
  htonl: htonlCommand,
  ntohs: ntohsCommand,
  ntohl: ntohlCommand,
  connect: connectCommand,
  listen: listenCommand,
  aton: atonCommand,
  ntoa: ntoaCommand,
  pton: ptonCommand,
  ntop: ntopCommand,
  service: serviceCommand,
  proto: protoCommand,
  info: infoCommand,
  completions: completionsCommand,
  __complete: completeCommand,
  send: sendCommand,
  receive: receiveCommand,
  resolve: resolveCommand,
  reverse: reverseCommand,
  dns: dnsCommand,
  hostname: hostnameCommand,
  echo: echoRoutes,
  probe: probeCommand,
  help: helpCommand,
  version: versionCommand,
  check: checkCommand,
  ping: pingCommand,
  exporter: exporterCommand,
  // @routes (one line per command; keep this marker)
};

/**
 * The names other tools' users type, resolved to netdiag's commands (`netdiag nc host 80`). Shown
 * on one line in `netdiag --help`; not proposed by completions. `ping` is no alias (netdiag has
 * no ICMP; `ping` is its own TCP command) and `host` is not either (it reads as resolve or dns):
 * unknown names get suggestions from lib/cli/closest_names.ts's synonym table instead.
 */
export const ROUTE_ALIASES = {
  scan: "probe",
  nc: "connect",
  ncat: "connect",
  netcat: "connect",
  dig: "dns",
  nslookup: "dns",
} as const satisfies Record<string, keyof typeof routes>;

/** The route map of every netdiag command. */
export const root = buildRouteMap({
  routes,
  aliases: ROUTE_ALIASES,
  docs: {
    hideRoute: { __complete: true },
    brief: "Network diagnostics from a terminal and from scripts",
    fullDescription: "Exit codes: 0 success, 1 negative answer (not found, closed, mismatch), " +
      "2 bad input or usage, 3 operational failure (timeout, network error).\n" +
      "Every command takes --help (or: netdiag help COMMAND); most take --json.",
  },
});

/** The netdiag application. */
export const app = buildApplication<NetdiagContext>(root, {
  name: "netdiag",
  versionInfo: {
    getCurrentVersion: async () => (await import("./version_report.ts")).versionText(VERSION),
  },
  scanner: { caseStyle: "allow-kebab-for-camel", allowArgumentEscapeSequence: true },
  // Colour of Stricli's error lines is decided when one is written (lib/cli/context.ts).
  documentation: { caseStyle: "convert-camel-to-kebab", disableAnsiColor: true },
  localization: { text: cliText },
  determineExitCode,
});

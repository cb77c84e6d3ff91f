import { buildApplication, buildRouteMap } from "@stricli/core";
import { VERSION } from "../version.ts";
import { byteOrderCommand } from "./byte_order.ts";
import { atonCommand, ntoaCommand, ntopCommand, ptonCommand } from "./inet.ts";
import { protoCommand, serviceCommand } from "./netdb.ts";
import { infoCommand } from "./info.ts";
import { completeCommand, completionsCommand } from "./completions.ts";
import { connectCommand } from "./connect.ts";
import { listenCommand } from "./listen.ts";
import { echoRoutes } from "./echo.ts";
import { receiveCommand } from "./receive.ts";
import { sendCommand } from "./send.ts";
import { nameRoutes } from "./name_routes.ts";
import { probeCommand } from "./probe.ts";
import type { NetdiagContext } from "./context.ts";
import { cliText } from "./text.ts";
import { determineExitCode } from "./exit.ts";

// Command definitions are light (flags and docs); each command's heavy modules load in its
// own `loader` only when it runs, so `netdiag htons 20000` stays mostly start-up.
const routes = {
  htons: byteOrderCommand("htons"),
  htonl: byteOrderCommand("htonl"),
  ntohs: byteOrderCommand("ntohs"),
  ntohl: byteOrderCommand("ntohl"),
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
  ...nameRoutes,
  echo: echoRoutes,
  probe: probeCommand,
  // @routes (one line per command; keep this marker)
};

/** The route map of every netdiag command. */
export const root = buildRouteMap({
  routes,
  docs: {
    hideRoute: { __complete: true },
    brief: "Network diagnostics from a terminal and from scripts",
    fullDescription: "Exit codes: 0 success, 1 negative answer (not found, closed, mismatch), " +
      "2 bad input or usage, 3 operational failure (timeout, network error).\n" +
      "Every command takes --help; most take --json.",
  },
});

/** The netdiag application. */
export const app = buildApplication<NetdiagContext>(root, {
  name: "netdiag",
  versionInfo: {
    getCurrentVersion: async () => (await import("./version_report.ts")).versionText(VERSION),
  },
  scanner: { caseStyle: "allow-kebab-for-camel", allowArgumentEscapeSequence: true },
  documentation: { caseStyle: "convert-camel-to-kebab" },
  localization: { text: cliText },
  determineExitCode,
});

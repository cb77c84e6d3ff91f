import { buildApplication, buildRouteMap } from "@stricli/core";
import { VERSION } from "../version.ts";
import { byteOrderCommand } from "./byte_order.ts";
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
  // @routes (one line per command; keep this marker)
};

/** The route map of every netdiag command. */
export const root = buildRouteMap({
  routes,
  docs: {
    brief: "Network diagnostics from a terminal and from scripts",
    fullDescription: "Exit codes: 0 success, 1 negative answer (not found, closed, mismatch), " +
      "2 bad input or usage, 3 operational failure (timeout, network error).\n" +
      "Every command takes --help; most take --json.",
  },
});

/** The netdiag application. */
export const app = buildApplication<NetdiagContext>(root, {
  name: "netdiag",
  versionInfo: { currentVersion: VERSION },
  scanner: { caseStyle: "allow-kebab-for-camel", allowArgumentEscapeSequence: true },
  documentation: { caseStyle: "convert-camel-to-kebab" },
  localization: { text: cliText },
  determineExitCode,
});

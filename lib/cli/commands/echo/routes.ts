/** `netdiag echo serve` and `netdiag echo test`: the `echo` route map. */
import { buildRouteMap } from "@stricli/core";
import { echoServeCommand } from "./serve_definition.ts";
import { echoTestCommand } from "./test_definition.ts";

/** `netdiag echo serve` and `netdiag echo test`. */
export const echoRoutes = buildRouteMap({
  routes: { serve: echoServeCommand, test: echoTestCommand },
  docs: { brief: "Echo servers and echo tests over TCP, UDP and Unix sockets" },
});

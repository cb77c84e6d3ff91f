/**
 * The exporter's HTTP routes, as blackbox_exporter has them: `/probe`, `/metrics`, `/-/healthy`,
 * `/-/reload` (POST), `/config` and an index page at `/`.
 * @module
 */
import { type HttpHandler, textResponse } from "../net/http_server.ts";
import { exporterFamilies } from "./exporter_metrics.ts";
import { writeExposition } from "./exposition.ts";
import { EXPOSITION_TYPE, handleProbe, type ProbeContext } from "./server_probe.ts";

/** What the routes need besides the probe context. */
export interface RouteContext extends ProbeContext {
  /** Reloads the config; resolves to the error message, or undefined when it loaded. */
  readonly reload: () => Promise<string | undefined>;
}

const INDEX = `<html>
<head><title>netdiag exporter</title></head>
<body>
<h1>netdiag exporter</h1>
<p>A blackbox_exporter-compatible prober (netdiag exporter).</p>
<p><a href="probe?target=prometheus.io&module=http_2xx">Probe prometheus.io for http_2xx</a></p>
<p><a href="probe?target=prometheus.io&module=http_2xx&debug=true">Debug probe prometheus.io for http_2xx</a></p>
<p><a href="metrics">Metrics</a></p>
<p><a href="config">Configuration</a></p>
</body>
</html>
`;

/** The request handler of the exporter's HTTP server. */
export function exporterRoutes(ctx: RouteContext): HttpHandler {
  return async (req) => {
    const url = new URL(req.url);
    switch (url.pathname) {
      case "/probe":
        return await handleProbe(ctx, req, url);
      case "/metrics":
        return new Response(writeExposition(exporterFamilies(ctx.counters)), {
          headers: { "content-type": EXPOSITION_TYPE },
        });
      case "/-/healthy":
        return textResponse(200, "Healthy");
      case "/-/reload":
        return await reload(ctx, req);
      case "/config":
        return textResponse(200, ctx.config().source, { "content-type": "text/plain" });
      case "/":
        return new Response(INDEX, { headers: { "content-type": "text/html; charset=utf-8" } });
      default:
        return textResponse(404, "404 page not found\n");
    }
  };
}

async function reload(ctx: RouteContext, req: Request): Promise<Response> {
  if (req.method !== "POST") {
    return textResponse(405, "This endpoint requires a POST request.\n");
  }
  const error = await ctx.reload();
  if (error === undefined) return new Response(null, { status: 200 });
  return textResponse(500, `failed to reload config: ${error}\n`, {
    "x-content-type-options": "nosniff",
  });
}

/**
 * The real blackbox_exporter (Debian package `prometheus-blackbox-exporter`) for side-by-side
 * tests: started on a free loopback port with the test's blackbox.yml. Missing, it is a test
 * failure naming the package, never a skip.
 */
import { installedTool } from "./installed_tool.ts";
import { type HttpPeer, startHttpPeer } from "./http_peer.ts";

/** A running blackbox_exporter. */
export type Blackbox = HttpPeer;

const CANDIDATES = ["/usr/bin/prometheus-blackbox-exporter", "/usr/local/bin/blackbox_exporter"];

/** The blackbox_exporter binary; throws, naming the Debian package, when it is not installed. */
export function blackboxPath(): string {
  return installedTool("blackbox_exporter", CANDIDATES, "prometheus-blackbox-exporter");
}

/** Starts blackbox_exporter with `configFile` and waits until it answers /-/healthy. */
export function startBlackbox(configFile: string): Promise<Blackbox> {
  return startHttpPeer({
    name: "blackbox_exporter",
    binary: blackboxPath(),
    args: (port) => [
      `--config.file=${configFile}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    readyPath: "/-/healthy",
    readySeconds: 10,
  });
}

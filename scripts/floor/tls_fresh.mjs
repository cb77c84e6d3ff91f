// The runtimes' floor for scripts/bench_check: N sequential fresh-connection HTTPS GETs with the
// least code a runtime allows, timed as curl -w prints them (cumulative seconds: namelookup
// connect appconnect pretransfer starttransfer total). No parsing beyond finding the end of the
// response, no certificate description, no verdict: what netdiag adds is the difference.
//
//   bun  tls_fresh.mjs bun  PORT CA N   Bun.connect with tls (netdiag's TLS under Bun)
//   deno run --allow-net --allow-read tls_fresh.mjs node PORT CA N   node:tls (netdiag's under Deno)
//
// Prints one line per request on stdout.
import { readFileSync } from "node:fs";
import * as tls from "node:tls";

const [mode, portText, caPath, countText] = globalThis.Deno
  ? Deno.args
  : globalThis.process.argv.slice(2);
const port = Number(portText);
const ca = readFileSync(caPath, "utf8");
const count = Number(countText);
const request = new TextEncoder().encode(
  `GET / HTTP/1.1\r\nHost: localhost:${port}\r\nUser-Agent: floor\r\nAccept: */*\r\n` +
    "Connection: close\r\n\r\n",
);
const context = mode === "node" ? tls.createSecureContext({ ca: [ca] }) : undefined;

/** One request: resolves with [connect, appconnect, pretransfer, starttransfer, total] in ms. */
function viaNode() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const marks = [0, 0, 0, 0];
    const s = tls.connect({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      secureContext: context,
      rejectUnauthorized: false,
    });
    s.setNoDelay(true);
    s.once("connect", () => (marks[0] = performance.now() - t0));
    s.once("secureConnect", () => {
      s.getPeerCertificate(true);
      marks[1] = marks[2] = performance.now() - t0;
      s.write(request);
    });
    s.on("data", () => marks[3] ||= performance.now() - t0);
    s.once("end", () => {
      s.destroy();
      resolve([...marks, performance.now() - t0]);
    });
    s.once("error", reject);
  });
}

function viaBun() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const marks = [0, 0, 0, 0];
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      tls: { ca, serverName: "localhost", rejectUnauthorized: false },
      socket: {
        open: () => (marks[0] = performance.now() - t0),
        handshake(s) {
          s.getPeerCertificate(false);
          marks[1] = marks[2] = performance.now() - t0;
          s.write(request);
        },
        data: () => (marks[3] ||= performance.now() - t0),
        end: (s) => s.terminate(),
        close: () => resolve([...marks, performance.now() - t0]),
        error: (_s, e) => reject(e),
        connectError: (_s, e) => reject(e),
      },
    }).catch(reject);
  });
}

const once = mode === "bun" ? viaBun : viaNode;
const lines = [];
for (let i = 0; i < count; i++) {
  const [connect, app, pre, start, total] = await once();
  lines.push([0, connect, app, pre, start, total].map((ms) => (ms / 1000).toFixed(6)).join(" "));
}
console.log(lines.join("\n"));

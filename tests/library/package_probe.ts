/**
 * A Bun user's script in a project that installed netdiag's npm tarball (tests/e2e/package.test.ts
 * copies it there): `probe` imported by the package's name, probing a listener of its own and a
 * port it has just closed. Prints one JSON line with the states.
 */
import { createServer, type Server } from "node:net";
import { probe } from "netdiag";

function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end());
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

const open = await listen();
const gone = await listen();
const closedPort = portOf(gone);
await new Promise((resolve) => gone.close(resolve));
const targets = [`127.0.0.1:${portOf(open)}`, `127.0.0.1:${closedPort}`];
const { summary, results } = await probe({ targets, timeoutMs: 1000 }).result();
open.close();
console.log(JSON.stringify({
  states: results.map((r) => r.state),
  open: summary.counts.open,
  closed: summary.counts.closed,
}));

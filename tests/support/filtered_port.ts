/**
 * A loopback port where connects hang: python3 listens with a backlog of 0, fills the accept
 * queue with one connection and never accepts, so further SYNs go unanswered until the
 * connector's timeout — "filtered" as nmap means it, without leaving loopback.
 */
import { spawn } from "node:child_process";

const SCRIPT = `
import socket, sys
host = sys.argv[1]
s = socket.socket(); s.bind((host, 0)); s.listen(0)
port = s.getsockname()[1]
filler = socket.socket(); filler.connect((host, port))
print(port, flush=True)
sys.stdin.read()
`;

/** A running filtered port; `close()` ends the python3 process. */
export interface FilteredPort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts a filtered port on loopback address `host` (needs python3, which every target machine
 * has). A test that scans a range of ports passes an address of its own, so its scan neither
 * counts nor disturbs the servers of tests running beside it on 127.0.0.1.
 */
export function startFilteredPort(host = "127.0.0.1"): Promise<FilteredPort> {
  const child = spawn("python3", ["-c", SCRIPT, host], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("python3 filtered port did not start")),
      10_000,
    );
    child.on("error", reject);
    child.stdout!.once("data", (chunk: Uint8Array) => {
      clearTimeout(timer);
      const port = Number(new TextDecoder().decode(chunk).trim());
      resolve({
        port,
        close: () =>
          new Promise((done) => {
            child.once("close", () => done());
            child.stdin!.end();
          }),
      });
    });
  });
}

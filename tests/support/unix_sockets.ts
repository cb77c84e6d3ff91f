/**
 * Unix socket files the runtimes cannot make themselves, made with python3: a stale stream socket
 * file (bound by a process that is gone, as after a SIGKILL), and a live datagram socket.
 */
import { spawn } from "node:child_process";
import { run } from "./python.ts";
import { waitForLine } from "./cli.ts";

/** Leaves a stale stream socket file at `path`: bound and listened on by a process now gone. */
export async function leaveStaleSocket(path: string): Promise<void> {
  await run("python3", [
    "-c",
    "import socket, sys\n" +
    "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n" +
    "s.bind(sys.argv[1]); s.listen(); print('ok')",
    path,
  ]);
}

/** A socket a python3 process keeps bound at a path until {@link HeldSocket.close}. */
export interface HeldSocket {
  /** Ends the process (the socket file stays behind, as after a crash). */
  close(): Promise<void>;
}

/**
 * Binds a Unix socket of `type` at `path` in a python3 process that holds it until closed:
 * `dgram` (a live datagram socket), or `client` (a stream socket bound at `path` that connects to
 * `connectTo` and sends `send`, for a peer whose own address is the path).
 */
export async function holdUnixSocket(
  path: string,
  type: "dgram" | "client",
  options: { connectTo?: string; send?: string } = {},
): Promise<HeldSocket> {
  const code = "import socket, sys\n" +
    (type === "dgram"
      ? "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])\n"
      : "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(sys.argv[1])\n" +
        "s.connect(sys.argv[2]); s.sendall(sys.argv[3].encode())\n") +
    "print('ready', flush=True)\n" +
    "sys.stdin.read()\n";
  const child = spawn(
    "python3",
    ["-c", code, path, options.connectTo ?? "", options.send ?? ""],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  await waitForLine(child.stdout!, (line) => line === "ready" ? true : undefined, 10_000);
  return {
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}

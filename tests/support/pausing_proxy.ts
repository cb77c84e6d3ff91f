/**
 * A TCP relay for tests that must hold a sender still at a chosen point: it forwards both ways
 * (half-closes too) and stops reading from the client once a number of bytes has passed, until
 * told to go on. node:net only, so it runs under Deno and Bun.
 */
import net from "node:net";

/** A running relay. */
export interface PausingProxy {
  /** The port clients connect to. */
  readonly port: number;
  /** Resolves once the client's bytes are held (the threshold was reached). */
  readonly paused: Promise<void>;
  /** Bytes forwarded from the client so far. */
  forwarded(): number;
  /** Whether the bytes sent back to the client so far contain `text` (the first 64 KiB kept). */
  returned(text: string): boolean;
  /** The client's own port (its side of the relayed connection), once it connected. */
  clientPort(): number | undefined;
  /** Forwards the client's bytes again. */
  resume(): void;
  /** Stops listening and destroys every socket. */
  close(): void;
}

/**
 * Listens on 127.0.0.1 (a free port) and relays the first connection to `127.0.0.1:targetPort`,
 * holding the client's bytes once `pauseAfter` of them have been forwarded (once only).
 */
export function startPausingProxy(targetPort: number, pauseAfter: number): Promise<PausingProxy> {
  const sockets: net.Socket[] = [];
  let forwarded = 0;
  let client: net.Socket | undefined;
  let held = false;
  let back = "";
  let onPaused: () => void = () => {};
  const paused = new Promise<void>((resolve) => (onPaused = resolve));
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    client = socket;
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort, allowHalfOpen: true });
    sockets.push(socket, upstream);
    for (const s of [socket, upstream]) s.on("error", () => {});
    socket.on("data", (chunk: Uint8Array) => {
      upstream.write(chunk);
      forwarded += chunk.length;
      if (forwarded >= pauseAfter && !held) {
        held = true;
        socket.pause();
        onPaused();
      }
    });
    socket.on("end", () => upstream.end());
    upstream.on("data", (chunk: Uint8Array) => {
      if (back.length < 65_536) back += new TextDecoder().decode(chunk);
      socket.write(chunk);
    });
    upstream.on("end", () => socket.end());
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        paused,
        forwarded: () => forwarded,
        returned: (text) => back.includes(text),
        clientPort: () => client?.remotePort,
        resume: () => client?.resume(),
        close: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
      });
    });
  });
}

/** A client that connects and resets at once, as a port scanner's connect scan (`nmap -sT`) does. */
import { createConnection } from "node:net";

/**
 * Connects to 127.0.0.1:`port` and resets the connection as soon as it is established
 * (SO_LINGER 0, then close: the peer gets RST, not FIN); resolves once the socket is closed.
 */
export function connectAndReset(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.resetAndDestroy());
    socket.once("error", reject);
    socket.once("close", () => resolve());
  });
}

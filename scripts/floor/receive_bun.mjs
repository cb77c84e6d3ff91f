/**
 * The Bun floor of bench_transfer: what receiving one verified, fsynced file costs on Bun with
 * the least code. It listens on 127.0.0.1:PORT, takes one connection, writes every chunk Bun
 * hands it to FILE as it comes (write(2) into the page cache) while hashing it (SHA-256,
 * Bun.CryptoHasher), then fsyncs FILE and prints the hash in hex. No framing, no name, no
 * acknowledgement, no bounds: only the receiving side's unavoidable work (the chunk Bun copies
 * out of its socket buffer, the hash, the write, the fsync). Sent to with `ncat --send-only
 * < FILE`, it is a lower bound for `netdiag receive` in the binary. Compiled by bench_transfer
 * with `bun build --compile`, as the binary is (JavaScript: `deno check scripts` does not know
 * Bun's globals). Usage: receive_bun PORT FILE.
 * @module
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";

const [portText, file] = process.argv.slice(2);
const fd = openSync(file, "w");
const hash = new Bun.CryptoHasher("sha256");
const done = Promise.withResolvers();
const server = Bun.listen({
  hostname: "127.0.0.1",
  port: Number(portText),
  socket: {
    data(_socket, chunk) {
      hash.update(chunk);
      for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at);
    },
    end(socket) {
      socket.end();
      done.resolve();
    },
    error(_socket, error) {
      done.reject(error);
    },
  },
});
console.error(`listening ${server.port}`);
await done.promise;
server.stop(true);
fsyncSync(fd);
closeSync(fd);
console.log(hash.digest("hex"));

/**
 * The Bun floor of bench_dns: what asking a DNS server for the A record of every name in a file
 * costs on Bun with the least code. One connected UDP socket (Bun.udpSocket), up to IN_FLIGHT
 * queries in flight (dnsperf -q 100's window), each sent as its own datagram when the one before
 * it is answered, the answer matched by id, and one "NAME ADDRESS" line per reply written in
 * one piece at the end. No retransmission, no validation beyond the id, no escaping: a lost
 * reply makes it give up after 5 s (exit 3). Compiled by bench_dns with `bun build --compile`,
 * as the binary is (JavaScript: `deno check scripts` does not know Bun's globals).
 * Usage: dns_batch_bun HOST PORT FILE [IN_FLIGHT] (FILE: lines `NAME [TYPE]`, dnsperf's format).
 * @module
 */
const [host, portText, file, inFlightText = "100"] = process.argv.slice(2);
const names = [];
for (const line of (await Bun.file(file).text()).split("\n")) {
  const name = line.split(" ")[0];
  if (name) names.push(name);
}
const inFlight = Math.max(1, Number(inFlightText));

/** An A query for `name` with id `id` (RD set, no EDNS). */
function query(id, name) {
  const out = new Uint8Array(12 + name.length + 2 + 4);
  out[0] = id >> 8;
  out[1] = id & 255;
  out[2] = 1; // RD
  out[5] = 1; // one question
  let at = 12;
  for (const label of name.split(".")) {
    out[at++] = label.length;
    for (let i = 0; i < label.length; i++) out[at++] = label.charCodeAt(i);
  }
  out[at + 2] = 1; // type A (after the root label's zero)
  out[at + 4] = 1; // class IN
  return out;
}

const lines = [];
let next = 0;
let answered = 0;
/** The name index each id (its slot) waits for. */
const slots = new Int32Array(inFlight).fill(-1);
const finished = Promise.withResolvers();

function sendNext(socket, slot) {
  if (next >= names.length) return;
  slots[slot] = next;
  socket.send(query(slot, names[next++]));
}

const socket = await Bun.udpSocket({
  connect: { hostname: host, port: Number(portText) },
  socket: {
    data(socket, data) {
      const slot = (data[0] << 8) | data[1];
      const index = slots[slot];
      if (slot >= inFlight || index < 0) return;
      slots[slot] = -1;
      // The address is the last four octets of a reply whose one answer is an A record.
      const n = data.length;
      const answers = (data[6] << 8) | data[7];
      lines.push(
        `${names[index]} ${
          answers ? `${data[n - 4]}.${data[n - 3]}.${data[n - 2]}.${data[n - 1]}` : "-"
        }\n`,
      );
      if (++answered === names.length) finished.resolve();
      else sendNext(socket, slot);
    },
  },
});
for (let slot = 0; slot < inFlight; slot++) sendNext(socket, slot);
const timer = setTimeout(() => finished.reject(new Error("a reply was lost")), 5000);
try {
  if (names.length) await finished.promise;
} catch (error) {
  console.error(`dns_batch_bun: ${error.message}`);
  process.exit(3);
}
clearTimeout(timer);
socket.close();
await Bun.write(Bun.stdout, lines.join(""));

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { loadProtocols, loadServices, protocolLookup, serviceLookup } from "../../lib/netdb/mod.ts";
import { NegativeError } from "../../lib/core/errors.ts";
import { InputError } from "../../lib/core/errors.ts";
import { parseNetdb } from "../../lib/core/netdb.ts";
import { findProtocols, lookupProtocol, parseProtocols } from "../../lib/core/protocols.ts";
import { findServices, lookupService, parseServices } from "../../lib/core/services.ts";
import { PROTOCOLS } from "../../lib/data/protocols.ts";
import { SERVICES } from "../../lib/data/services.ts";

const SAMPLE = `# comment line
tcpmux\t1/tcp\t\t\t# TCP port service multiplexer
http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP
www-alt 80/udp www http-alt#no space before the comment
broken\tnot-a-port
lonely
https\t\t443/tcp
https\t\t443/udp\t\t\t# HTTP/3
`;

test("parseNetdb() drops comments, blank and one-field lines", () => {
  const lines = parseNetdb(SAMPLE);
  assert.deepEqual(lines.map((l) => l.name), [
    "tcpmux",
    "http",
    "www-alt",
    "broken",
    "https",
    "https",
  ]);
  assert.deepEqual(lines[2].aliases, ["www", "http-alt"]);
});

test("parseServices() skips lines whose second field is not port/proto", () => {
  const entries = parseServices(SAMPLE);
  assert.equal(entries.length, 5);
  assert.deepEqual(entries[1], { name: "http", port: 80, proto: "tcp", aliases: ["www"] });
});

test("findServices() matches name or alias in file order, first = getservbyname", () => {
  const entries = parseServices(SAMPLE);
  assert.deepEqual(findServices(entries, { name: "www" }).map((e) => `${e.name}/${e.proto}`), [
    "http/tcp",
    "www-alt/udp",
  ]);
  assert.deepEqual(findServices(entries, { name: "www", proto: "udp" }).map((e) => e.name), [
    "www-alt",
  ]);
  assert.deepEqual(findServices(entries, { port: 443 }).map((e) => e.proto), ["tcp", "udp"]);
  assert.deepEqual(findServices(entries, { name: "HTTP" }), []);
});

test("lookupService() reads all digits as a port and throws NegativeError when nothing matches", () => {
  const entries = parseServices(SAMPLE);
  assert.equal(lookupService(entries, "x", "443").by, "port");
  assert.equal(lookupService(entries, "x", "http").by, "name");
  assert.throws(
    () => lookupService(entries, "/etc/services", "gopher"),
    (e: unknown) =>
      e instanceof NegativeError &&
      e.message === 'unknown service "gopher": not found in /etc/services',
  );
  assert.throws(
    () => lookupService(entries, "embedded", "80", "sctp"),
    (e: unknown) =>
      e instanceof NegativeError &&
      /port 80 for protocol "sctp".*embedded services table/.test(e.message),
  );
  assert.throws(() => lookupService(entries, "x", "65536"), InputError);
  assert.throws(() => lookupService(entries, "x", ""), InputError);
});

test("lookupProtocol() lists every entry of a number, the first being getprotobynumber's", () => {
  const entries = parseProtocols("ip 0 IP # x\nhopopt 0 HOPOPT\ntcp 6 TCP\nbad x\n");
  assert.deepEqual(lookupProtocol(entries, "x", "0").entries.map((e) => e.name), ["ip", "hopopt"]);
  assert.deepEqual(findProtocols(entries, { name: "TCP" }).map((e) => e.number), [6]);
  assert.throws(() => lookupProtocol(entries, "x", "65536"), InputError);
  assert.throws(() => lookupProtocol(entries, "x", "256"), NegativeError);
  assert.throws(() => lookupProtocol(entries, "x", "sctp"), NegativeError);
});

test("protocol numbers go up to 65535, as netbase's mptcp 262 needs", () => {
  const entries = parseProtocols("tcp 6 TCP\nmptcp 262 MPTCP\nbig 65535\ntoo-big 65536\n");
  assert.deepEqual(entries.map((e) => e.name), ["tcp", "mptcp", "big"]);
  assert.equal(lookupProtocol(entries, "x", "mptcp").entries[0].number, 262);
  assert.equal(lookupProtocol(entries, "x", "262").entries[0].name, "mptcp");
  assert.equal(lookupProtocol(entries, "x", "65535").entries[0].name, "big");
  assert.throws(() => lookupProtocol(entries, "x", "65536"), /"65536" is out of range/);
});

test("the embedded protocols table holds netbase's mptcp 262", () => {
  const found = lookupProtocol(PROTOCOLS, "embedded", "mptcp").entries;
  assert.deepEqual(found, [{ name: "mptcp", number: 262, aliases: ["MPTCP"] }]);
});

const haveFiles = existsSync("/etc/services") && existsSync("/etc/protocols");

test("the embedded tables equal the parse of this machine's /etc/services and /etc/protocols", {
  skip: !haveFiles && "no /etc/services here",
}, () => {
  assert.deepEqual(SERVICES, parseServices(readFileSync("/etc/services", "utf8")));
  assert.deepEqual(PROTOCOLS, parseProtocols(readFileSync("/etc/protocols", "utf8")));
});

test("loadServices() and loadProtocols() read the system files when present", {
  skip: !haveFiles && "no /etc/services here",
}, async () => {
  const s = await loadServices();
  assert.equal(s.source, "/etc/services");
  assert.ok(findServices(s.entries, { name: "http", proto: "tcp" })[0].port === 80);
  const p = await loadProtocols();
  assert.equal(p.source, "/etc/protocols");
});

test("loadServices() and loadProtocols() fall back to the embedded tables when the file is missing", async () => {
  const s = await loadServices("/nonexistent/netdiag/services");
  assert.equal(s.source, "embedded");
  assert.equal(s.entries, SERVICES);
  assert.equal(lookupService(s.entries, s.source, "https").entries[0].port, 443);
  const p = await loadProtocols("/nonexistent/netdiag/protocols");
  assert.equal(p.source, "embedded");
  assert.equal(lookupProtocol(p.entries, p.source, "udp").entries[0].number, 17);
});

test("serviceLookup() and protocolLookup() answer from the table at `path`, or throw NegativeError", async () => {
  const missing = "/nonexistent/netdiag/table";
  const http = await serviceLookup("80", { proto: "tcp", path: missing });
  assert.equal(http.source, "embedded");
  assert.deepEqual(http.entries.map((e) => `${e.name} ${e.port}/${e.proto}`), ["http 80/tcp"]);
  const udp = await protocolLookup("17", { path: missing });
  assert.equal(udp.entries[0].name, "udp");
  await assert.rejects(serviceLookup("no-such-service", { path: missing }), NegativeError);
  await assert.rejects(protocolLookup("no-such-proto", { path: missing }), NegativeError);
});

/**
 * The `tcp` prober: blackbox_exporter's address choice, a TCP connect (TLS from the start with
 * `tls: true`, through lib/net/tls.ts), then `query_response`: each step reads lines until its
 * `expect` matches, sends its `send` (with `${1}` / `${name}` from the match) and a newline, and
 * with `starttls` upgrades to TLS. Sets blackbox's series (`probe_failed_due_to_regex`, the
 * `probe_ssl_*` ones for a TLS connection) and netdiag's.
 * @module
 */
import { ipFamily } from "../net/host_lookup.ts";
import { openTls, type TlsConnection } from "../net/tls.ts";
import type { Connection } from "../net/types.ts";
import { TLS_MIN_VERSIONS } from "./config_probers.ts";
import { setAddressExtras } from "./connect_extras.ts";
import { goExpand } from "./go_expand.ts";
import { LineReader } from "./line_reader.ts";
import { failed, type ProberContext, type ProberResult } from "./prober.ts";
import { startTls } from "./start_tls.ts";
import { addressForProbe } from "./target_address.ts";
import { setBlackboxTls, setNetdiagTls } from "./tls_metrics.ts";
import type { TcpModule, TlsConfig } from "./types.ts";

type Stream = Connection | TlsConnection;

/** `host:port` as Go's net.SplitHostPort reads it (IPv6 in brackets); undefined when not. */
export function splitHostPort(target: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(target) ?? /^([^:[\]]*):(\d+)$/.exec(target);
  if (!m || Number(m[2]) > 65535) return undefined;
  return { host: m[1], port: Number(m[2]) };
}

/**
 * The TLS options of a module's `tls_config` for `host`. An IP literal is no server name (TLS
 * sends no SNI for one; the certificate is checked against the address), as Go's crypto/tls has it.
 */
export function tlsOptions(config: TlsConfig, host: string) {
  const servername = config.serverName ?? (ipFamily(host) ? undefined : host);
  return {
    ...(servername !== undefined ? { servername } : {}),
    ...(config.ca ? { ca: config.ca } : {}),
    insecure: config.insecureSkipVerify,
    ...(config.minVersion ? { minVersion: TLS_MIN_VERSIONS[config.minVersion] } : {}),
  };
}

/** Checks a handshake as Go's crypto/tls would; sets the TLS families; a failure when refused. */
export function acceptHandshake(
  ctx: ProberContext,
  conn: TlsConnection,
  config: TlsConfig,
): ProberResult | undefined {
  setNetdiagTls(ctx.gauges, conn.handshake);
  const h = conn.handshake;
  if (h.reasons.length && !config.insecureSkipVerify) {
    conn.close();
    const reason = h.reasons[0] === "expired"
      ? "tls_cert_expired"
      : h.reasons[0] === "hostname_mismatch"
      ? "tls_hostname_mismatch"
      : h.reasons[0] === "not_yet_valid"
      ? "tls_cert_not_yet_valid"
      : "tls_cert_untrusted";
    return failed(
      ctx,
      "tls",
      reason,
      `TLS Handshake (client) failed err=certificate ${h.reasons.join(", ")}${
        h.authorizationError ? ` (${h.authorizationError})` : ""
      }`,
    );
  }
  setBlackboxTls(ctx.gauges, h, !config.insecureSkipVerify);
  return undefined;
}

async function dial(
  ctx: ProberContext,
  tcp: TcpModule,
  host: string,
  address: string,
  port: number,
): Promise<Stream | ProberResult> {
  ctx.stage = "connect";
  try {
    if (!tcp.tls) {
      ctx.log("Dialing TCP without TLS");
      return await ctx.adapter.connect({
        transport: "tcp",
        hostname: address,
        port,
        timeoutMs: ctx.remainingMs(),
        signal: ctx.signal,
      });
    }
    ctx.log("Dialing TCP with TLS");
    const attempt = openTls({
      hostname: address,
      port,
      ...tlsOptions(tcp.tlsConfig, host),
      timeoutMs: ctx.remainingMs(),
      signal: ctx.signal,
    });
    await attempt.tcp.catch(() => {});
    ctx.stage = "tls";
    const conn = await attempt.done;
    return acceptHandshake(ctx, conn, tcp.tlsConfig) ?? conn;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = ctx.stage === "tls"
      ? "tls_handshake_failed"
      : code === "ECONNREFUSED"
      ? "tcp_refused"
      : code === "ETIMEDOUT"
      ? "tcp_timeout"
      : "tcp_failed";
    return failed(ctx, ctx.stage, reason, `Error dialing TCP err=${(error as Error).message}`);
  }
}

/** Runs the tcp prober (see the module). */
export async function probeTcp(ctx: ProberContext): Promise<ProberResult> {
  const tcp = ctx.request.module.tcp!;
  ctx.gauges.define("probe_failed_due_to_regex");
  const target = splitHostPort(ctx.request.target);
  if (!target) {
    return failed(
      ctx,
      "resolve",
      "bad_target",
      `Error splitting target address and port err=address ${ctx.request.target}: missing port in address`,
    );
  }
  const chosen = await addressForProbe(ctx, target.host, tcp);
  if ("success" in chosen) return chosen;
  await setAddressExtras(ctx, chosen, target.port);
  const stream = await dial(ctx, tcp, target.host, chosen.address, target.port);
  if (!("readChunk" in stream)) return stream;
  ctx.log("Successfully dialed");
  let conn: Stream = stream;
  try {
    return await queryResponse(ctx, tcp, target.host, conn, (c) => (conn = c));
  } finally {
    conn.close();
  }
}

async function queryResponse(
  ctx: ProberContext,
  tcp: TcpModule,
  host: string,
  first: Stream,
  swap: (c: Stream) => void,
): Promise<ProberResult> {
  let conn = first;
  let lines = new LineReader(conn);
  const enc = new TextEncoder();
  ctx.stage = "expect";
  for (const [i, step] of tcp.queryResponse.entries()) {
    ctx.log(`Processing query response entry entry_number=${i}`);
    let send = step.send ?? "";
    if (step.expect) {
      let match: RegExpExecArray | null = null;
      let line: string | null;
      try {
        while ((line = await lines.line()) !== null) {
          ctx.log(`Read line line=${line}`);
          match = step.expect.exec(line);
          if (match) break;
        }
      } catch (error) {
        return failed(
          ctx,
          "expect",
          "expect_read_failed",
          `Error reading from connection err=${(error as Error).message}`,
        );
      }
      if (!match) {
        ctx.gauges.set("probe_failed_due_to_regex", 1);
        return failed(
          ctx,
          "expect",
          "expect_mismatch",
          `Regexp did not match regexp=${step.expect.source}`,
        );
      }
      ctx.log(`Regexp matched regexp=${step.expect.source} line=${match.input}`);
      ctx.gauges.set("probe_failed_due_to_regex", 0);
      send = goExpand(send, match);
    }
    if (send !== "") {
      ctx.log(`Sending line line=${send}`);
      try {
        await conn.write(enc.encode(`${send}\n`));
      } catch (error) {
        return failed(
          ctx,
          "expect",
          "expect_send_failed",
          `Failed to send err=${(error as Error).message}`,
        );
      }
    }
    if (step.starttls) {
      ctx.stage = "tls";
      const upgraded = await startTls(ctx, conn as Connection, {
        ...tlsOptions(tcp.tlsConfig, host),
        verifyName: host,
      });
      if (!("readChunk" in upgraded)) return upgraded;
      const refused = acceptHandshake(ctx, upgraded, tcp.tlsConfig);
      if (refused) return refused;
      ctx.log("TLS Handshake (client) succeeded.");
      conn = upgraded;
      swap(conn);
      lines = new LineReader(conn);
      ctx.stage = "expect";
    }
  }
  return { success: true };
}

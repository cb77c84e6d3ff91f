/**
 * `netdiag check TARGET`: the command's flags, help and loader. Light: the engine (lib/check/)
 * loads in the loader, only when the command runs.
 * @module
 */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { conflictsHelp } from "../../flag_conflicts.ts";
import { CHECK_CONFLICTS, checkAliases, checkFlags } from "./flags.ts";

/** `netdiag check TARGET`: where does it break — DNS, TCP, TLS or HTTP? */
export const checkCommand = buildCommand({
  loader: async () => documented("check", (await import("./run.ts")).checkCommand, CHECK_CONFLICTS),
  parameters: {
    flags: checkFlags,
    aliases: checkAliases,
    positional: {
      kind: "tuple",
      parameters: [{
        brief:
          "https://host[:port]/path, http://…, a bare host (https), host:port (TCP) or a Unix socket path",
        placeholder: "target",
        parse: String,
      }],
    },
  },
  docs: {
    brief: "Check a service stage by stage: DNS, TCP, TLS, HTTP, with timings and certificate",
    fullDescription:
      "Resolves the host (hosts file or DNS, or --resolve), connects over TCP (happy eyeballs " +
      "between families, -4/-6, or --all-addrs to every address), shakes hands over TLS (SNI, " +
      "ALPN, protocol, cipher, the certificate chain as presented, verified against the system " +
      "trust store or --ca and the host name) and, for URLs, sends one HTTP/1.1 request on the " +
      "same connection (-X, --header; --follow times each redirect on its own). Prints a staged " +
      "report with a waterfall of the phases as httpstat draws them (DNS, TCP, TLS, server, " +
      "transfer), the certificate, and a verdict: ok, or the stage that failed and a reason " +
      "(dns_nxdomain, tcp_refused, tls_cert_expired, http_status, slo_exceeded, …). " +
      "Expectations turn a check into a test: --expect-status, --cert-min-days, --expect-body, " +
      "--slo. --count repeats the check, as netdiag ping does.\n" +
      "Exit codes: 0 ok, 1 a negative answer (refused, NXDOMAIN, a certificate or status or " +
      "expectation that fails), 2 bad input, 3 timeout or network failure, 130 interrupted.\n" +
      conflictsHelp(CHECK_CONFLICTS) + "\n\n" +
      "Examples:\n" +
      "  netdiag check https://example.com\n" +
      "  netdiag check example.com:443 --tls --servername example.com\n" +
      "  netdiag check http://127.0.0.1:8080/health -L --expect-status 200 --slo total=500ms\n" +
      "  netdiag check https://example.com --resolve example.com:443:127.0.0.1 --ca ca.pem\n" +
      "  netdiag check https://example.com --cert-min-days 14 --json\n" +
      "  netdiag check db.internal:5432 --all-addrs\n" +
      "  netdiag check https://example.com --count 10 --interval 0 --ndjson",
  },
});

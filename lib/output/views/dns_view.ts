/**
 * The view of `netdiag dns`. Everything that came from a reply (names, record data, reasons)
 * goes through escapeTerminal, so that a hostile server cannot write control sequences to the
 * terminal; JSON output is left exact.
 * @module
 */
import type { DnsExchange } from "../../core/dns_exchange.ts";
import { dnsStatusText } from "../../core/dns_records.ts";
import { formatServerAddress } from "../../core/dns_server.ts";
import { type LookupSummary, summaryExitCode } from "../../core/name_lookup.ts";
import { escapeTerminal as t } from "../../core/terminal_text.ts";
import type { DocumentStreamView } from "../document_emit.ts";
import type { Style } from "../style.ts";
import { formatTable } from "../table.ts";
import { formatDuration } from "../units.ts";

/** The last server printed and its text: a batch asks one server, so it is escaped once. */
let lastServer: DnsExchange["server"] | undefined;
let lastServerText = "";

function serverText(server: DnsExchange["server"]): string {
  if (server !== lastServer) {
    lastServer = server;
    lastServerText = t(formatServerAddress(server));
  }
  return lastServerText;
}

/** Human text of one DNS query: a `;;` status line, then the answer records, dig-style. */
export function dnsExchangeText(exchange: DnsExchange, style: Style): string {
  const status = exchange.status === "NOERROR"
    ? style.green(exchange.status)
    : exchange.status === "NXDOMAIN" || exchange.status === "NODATA"
    ? style.yellow(t(exchange.status))
    : style.red(t(exchange.status));
  const why = exchange.status === "NOERROR"
    ? ""
    : ` (${t(exchange.reason ?? dnsStatusText(exchange.status))})`;
  const head = `;; ${t(exchange.name)} ${t(exchange.recordType)}: ${status}${why} from ` +
    `${serverText(exchange.server)} ` +
    `(${exchange.transport}, ${formatDuration(exchange.timeMs)})\n`;
  if (exchange.answers.length === 0) return head;
  const rows = exchange.answers.map((r) => [t(r.name), String(r.ttl), t(r.type), t(r.data)]);
  return head + formatTable(["NAME", "TTL", "TYPE", "DATA"], rows, {
    header: false,
    align: ["left", "right", "left", "left"],
  });
}

/** The document stream view of `dns`: one exchange per result. */
export const dnsView: DocumentStreamView<DnsExchange, LookupSummary> = {
  command: "dns",
  item: dnsExchangeText,
  summary: () => "",
  exitCode: summaryExitCode,
};

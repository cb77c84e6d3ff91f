/**
 * The human and stream views of `netdiag dns`. Everything that came from a reply (names, record
 * data, error text) goes through escapeTerminal, so that a hostile server cannot write control
 * sequences to the terminal; JSON output is left exact.
 * @module
 */
import { dnsStatusText } from "../../core/dns_records.ts";
import { formatMs, type LookupSummary, summaryExitCode } from "../../core/name_lookup.ts";
import { escapeTerminal } from "../../core/terminal_text.ts";
import type { DnsExchange } from "../../net/dns_client.ts";
import type { StreamView } from "../emit.ts";
import type { Style } from "../style.ts";
import { formatTable } from "../table.ts";

/** Human text of one DNS query: a `;;` status line, then the answer records, dig-style. */
export function dnsExchangeText(exchange: DnsExchange, style: Style): string {
  const t = escapeTerminal;
  const status = exchange.status === "NOERROR"
    ? style.green(exchange.status)
    : exchange.status === "NXDOMAIN" || exchange.status === "NODATA"
    ? style.yellow(t(exchange.status))
    : style.red(t(exchange.status));
  const why = exchange.status === "NOERROR"
    ? ""
    : ` (${t(exchange.error ?? dnsStatusText(exchange.status))})`;
  const head = `;; ${t(exchange.name)} ${t(exchange.type)}: ${status}${why} from ` +
    `${t(exchange.server)} (${exchange.transport}, ${formatMs(exchange.timeMs)})\n`;
  if (exchange.answers.length === 0) return head;
  const rows = exchange.answers.map((r) => [t(r.name), String(r.ttl), t(r.type), t(r.data)]);
  return head + formatTable(["NAME", "TTL", "TYPE", "DATA"], rows, {
    header: false,
    align: ["left", "right", "left", "left"],
  });
}

/** The stream view of `dns`. */
export const dnsView: StreamView<DnsExchange, LookupSummary> = {
  item: dnsExchangeText,
  summary: () => "",
  exitCode: summaryExitCode,
};

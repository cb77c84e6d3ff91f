import { DNS_STATUS_TEXT } from "../../core/dns_records.ts";
import { formatMs, type LookupSummary, summaryExitCode } from "../../core/name_lookup.ts";
import type { DnsExchange } from "../../net/dns_client.ts";
import type { StreamView } from "../emit.ts";
import type { Style } from "../style.ts";
import { formatTable } from "../table.ts";

/** Human text of one DNS query: a `;;` status line, then the answer records, dig-style. */
export function dnsExchangeText(exchange: DnsExchange, style: Style): string {
  const status = exchange.status === "NOERROR"
    ? style.green(exchange.status)
    : exchange.status === "NXDOMAIN" || exchange.status === "NODATA"
    ? style.yellow(exchange.status)
    : style.red(exchange.status);
  const why = exchange.status === "NOERROR"
    ? ""
    : ` (${exchange.error ?? DNS_STATUS_TEXT[exchange.status]})`;
  const head = `;; ${exchange.name} ${exchange.type}: ${status}${why} from ${exchange.server} ` +
    `(${exchange.transport}, ${formatMs(exchange.timeMs)})\n`;
  if (exchange.answers.length === 0) return head;
  const rows = exchange.answers.map((r) => [r.name, String(r.ttl), r.type, r.data]);
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

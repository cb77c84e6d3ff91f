import type { InfoResult } from "../../core/info.ts";
import type { DocumentView } from "../document_emit.ts";
import { formatTable } from "../table.ts";

/**
 * `info`: `key  value` lines, a blank line, then one row per interface address (name, family,
 * cidr, internal, mac). The document's summary is everything but the interfaces (version,
 * runtime, platform, byte order, IPv6), its results the interface addresses, with `family` 4
 * or 6.
 */
export const infoView: DocumentView<InfoResult> = {
  command: "info",
  human(r, style) {
    const ipv6 = r.ipv6.supported
      ? `yes (::1 on ${r.ipv6.loopbackInterface}; ${r.ipv6.externalAddresses} external)`
      : "no (::1 not configured)";
    const summary = formatTable(["key", "value"], [
      ["netdiag", r.netdiag],
      ["runtime", `${r.runtime.name} ${r.runtime.version}`],
      ["platform", `${r.platform.os} ${r.platform.arch}`],
      ["byte-order", `${r.hostByteOrder}-endian`],
      ["ipv6", ipv6],
    ], { header: false });
    const rows = r.interfaces.map((i) => [
      i.name,
      i.family,
      i.cidr ?? `${i.address} ${i.netmask}`,
      i.internal ? "yes" : "no",
      i.mac,
    ]);
    const headers = ["interface", "family", "cidr", "internal", "mac"].map(style.bold);
    return summary + "\n" + (rows.length ? formatTable(headers, rows) : "no interfaces\n");
  },
  parts: ({ interfaces, ...summary }) => ({
    summary,
    results: interfaces.map((i) => ({ ...i, family: i.family === "IPv6" ? 6 : 4 })),
  }),
};

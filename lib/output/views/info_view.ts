import type { InfoResult } from "../../core/info.ts";
import type { View } from "../emit.ts";
import { formatTable } from "../table.ts";

/**
 * Human view of `info`: `key  value` lines, a blank line, then one row per interface address
 * (name, family, cidr, internal, mac).
 */
export const infoView: View<InfoResult> = {
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
};

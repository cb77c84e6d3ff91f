/**
 * `netdiag hostname`: gethostname, and getfqdn with CPython's rule.
 * @module
 */
import { type HostnameResult } from "../core/hostname.ts";
import { pickFqdn } from "../core/fqdn.ts";
import { NameService } from "../net/name_service.ts";
import { systemHostname } from "../net/system_resolver.ts";
import { emitResult } from "../output/emit.ts";
import { outputFormat } from "../output/format.ts";
import { hostnameView } from "../output/views/hostname_view.ts";
import type { NetdiagContext } from "./context.ts";
import type { HostnameFlags } from "./hostname.ts";

/** Runs `netdiag hostname`. */
export default async function hostname(this: NetdiagContext, flags: HostnameFlags) {
  const format = outputFormat(flags);
  const name = await systemHostname();
  if (!flags.fqdn) {
    emitResult(this, format, { hostname: name } satisfies HostnameResult, hostnameView);
    return;
  }
  const service = new NameService({ timeoutMs: flags.timeout });
  try {
    const item = await service.reverse(name, ["system"]);
    const answer = item.answers[0];
    const byAddr = answer?.status === "ok"
      ? { hostname: answer.hostname ?? "", aliases: answer.aliases }
      : undefined;
    const result: HostnameResult = {
      hostname: name,
      fqdn: pickFqdn(name, byAddr),
      gethostbyaddr: byAddr
        ? {
          address: item.address!,
          hostname: byAddr.hostname,
          aliases: [...byAddr.aliases],
          from: answer.from,
        }
        : { address: item.address ?? null, error: answer?.reason ?? item.reason ?? "failed" },
    };
    emitResult(this, format, result, hostnameView);
  } finally {
    service.close();
  }
}

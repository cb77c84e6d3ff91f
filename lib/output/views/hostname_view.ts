import type { HostnameResult } from "../../core/hostname.ts";
import type { View } from "../emit.ts";

/** Human view of `hostname`: the name (or with --fqdn the fully qualified name) on one line. */
export const hostnameView: View<HostnameResult> = {
  human: (result) => `${result.fqdn ?? result.hostname}\n`,
};

/** The name-resolution commands (issue 3), registered together in app.ts. */
import { dnsCommand } from "./dns.ts";
import { hostnameCommand } from "./hostname.ts";
import { resolveCommand } from "./resolve.ts";
import { reverseCommand } from "./reverse.ts";

/** `resolve`, `reverse`, `dns` and `hostname`. */
export const nameRoutes = {
  resolve: resolveCommand,
  reverse: reverseCommand,
  dns: dnsCommand,
  hostname: hostnameCommand,
} as const;

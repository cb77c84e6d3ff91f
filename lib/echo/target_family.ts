/**
 * `echo test`'s `family` option: the target's host name narrowed to one address of the asked
 * family before the test starts, through the system resolver (lib/net/host_lookup.ts).
 * @module
 */
import { lookupHost } from "../net/host_lookup.ts";
import type { EchoTarget } from "./client.ts";

/**
 * The target to test: as it is without a family or for a Unix socket, otherwise with its host
 * replaced by the first address of `family`. Rejects with the lookup's OperationalError
 * (`cannot resolve "name": no IPv6 address`, exit 3) when the name has none, with an InputError
 * for an IP literal of the other family, and with the signal's reason once it aborts.
 */
export async function targetOfFamily(
  target: EchoTarget,
  family: 4 | 6 | undefined,
  signal?: AbortSignal,
): Promise<EchoTarget> {
  if (family === undefined || target.transport === "unix") return target;
  const [first] = await lookupHost(target.hostname, { family, signal });
  return { ...target, hostname: first.address };
}

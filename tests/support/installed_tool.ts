/**
 * Finding a real peer the tests start (Prometheus, blackbox_exporter): the first of its usual
 * paths that exists, or an error naming the Debian package that provides it.
 */
import { existsSync } from "node:fs";

/** The first of `candidates` that exists; throws naming `aptPackage` when none does. */
export function installedTool(
  name: string,
  candidates: readonly string[],
  aptPackage: string,
): string {
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `${name} is not installed: the exporter tests need it (Debian/Ubuntu: ` +
        `apt-get install ${aptPackage})`,
    );
  }
  return found;
}

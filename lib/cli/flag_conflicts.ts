/**
 * Flags that cannot be given together, declared with each command: the command's definition
 * lists its {@link FlagConflict}s, its help shows them ({@link conflictsHelp}), and
 * `documented()` refuses them before the command runs ({@link checkConflicts}), so no command
 * checks a pair by hand.
 * @module
 */
import { InputError } from "../core/errors.ts";

/** A set of flags of which at most one may be given. Names are the flags' camelCase keys. */
export interface FlagConflict {
  /** The flags (camelCase, as in the command's flag object), at most one of which may be set. */
  readonly flags: readonly string[];
  /** Why, for the message; default "choose one". */
  readonly reason?: string;
}

/** `--json` and `--ndjson` exclude each other wherever both exist. */
export const JSON_NDJSON: FlagConflict = { flags: ["json", "ndjson"] };

/** `--ipv4` and `--ipv6` (`-4` / `-6`) exclude each other wherever both exist. */
export const FAMILY_CONFLICT: FlagConflict = {
  flags: ["ipv4", "ipv6"],
  reason: "choose one family",
};

const kebab = (name: string) => "--" + name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());

/** Whether a flag counts as given: set to anything but `undefined` or `false`. */
function given(value: unknown): boolean {
  return value !== undefined && value !== false;
}

/**
 * Throws an {@link InputError} naming the first two given flags of the first conflict that
 * `flags` breaks: `conflicting flags "--json" and "--ndjson": choose one`.
 *
 * @example
 * ```ts
 * import { checkConflicts, JSON_NDJSON } from "./flag_conflicts.ts";
 * checkConflicts({ json: true }, [JSON_NDJSON]); // fine
 * ```
 */
export function checkConflicts(
  flags: Readonly<Record<string, unknown>>,
  conflicts: readonly FlagConflict[],
): void {
  for (const conflict of conflicts) {
    const set = conflict.flags.filter((f) => given(flags[f]));
    if (set.length > 1) {
      throw new InputError(
        `conflicting flags "${kebab(set[0])}" and "${kebab(set[1])}": ${
          conflict.reason ?? "choose one"
        }`,
      );
    }
  }
}

/**
 * The help paragraph that lists a command's conflicts: `Flags that exclude each other:
 * --json / --ndjson; --tcp / --udp (a socket is one or the other).` Empty when there are none.
 */
export function conflictsHelp(conflicts: readonly FlagConflict[]): string {
  if (conflicts.length === 0) return "";
  const items = conflicts.map((c) =>
    c.flags.map(kebab).join(" / ") + (c.reason ? ` (${c.reason})` : "")
  );
  return `Flags that exclude each other: ${items.join("; ")}.`;
}

/**
 * Go's `Regexp.Expand` for a tcp module's `send` after `expect`: `$1` / `${1}` for a numbered
 * group, `$name` / `${name}` for a named one (the longest run of letters, digits and `_`), `$$`
 * for `$`; a group that does not exist or did not match gives "".
 * @module
 */

/** Expands `template` with the groups of `match` (see the module). */
export function goExpand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, braced, bare) => {
    if (all === "$$") return "$";
    const name = (braced ?? bare) as string;
    if (/^\d+$/.test(name)) return match[Number(name)] ?? "";
    return match.groups?.[name] ?? "";
  });
}

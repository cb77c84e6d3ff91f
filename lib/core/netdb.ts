/**
 * The netdb file format shared by /etc/services and /etc/protocols: one entry per line, fields
 * separated by blanks (official name, a key such as `80/tcp` or `6`, then aliases), `#` starting
 * a comment anywhere on the line.
 * @module
 */

/** One entry line of a netdb file, its fields not yet interpreted. */
export interface NetdbLine {
  /** The official name. */
  readonly name: string;
  /** The second field: `port/proto` in services, the number in protocols. */
  readonly key: string;
  /** The remaining fields. */
  readonly aliases: readonly string[];
}

/** Splits a netdb file into entry lines, skipping blanks, comments and lines of one field. */
export function parseNetdb(text: string): NetdbLine[] {
  const lines: NetdbLine[] = [];
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const fields = (hash < 0 ? raw : raw.slice(0, hash)).split(/[ \t\r\f\v]+/).filter(Boolean);
    if (fields.length < 2) continue;
    lines.push({ name: fields[0], key: fields[1], aliases: fields.slice(2) });
  }
  return lines;
}

/** Whether an entry answers to `name`: its official name or one of its aliases, case-sensitive. */
export function answersTo(entry: { name: string; aliases: readonly string[] }, name: string) {
  return entry.name === name || entry.aliases.includes(name);
}

/** Names a lookup source in a message: the file's path, or "the embedded <table> table". */
export function describeSource(source: string, table: string): string {
  return source === "embedded" ? `the embedded ${table} table` : source;
}

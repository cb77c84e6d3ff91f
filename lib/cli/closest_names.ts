/**
 * "Did you mean" suggestions computed as Stricli computes them (its function is not exported):
 * a Damerau-Levenshtein distance weighted insertion 1, deletion 3, substitution 2, transposition
 * 0, names within 7 kept, the nearest ones first.
 * @module
 */

const INSERTION = 1;
const DELETION = 3;
const SUBSTITUTION = 2;
const TRANSPOSITION = 0;
const THRESHOLD = 7;

/** The weighted distance from `a` to `b` (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i * DELETION]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        d[0].push(j * INSERTION);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : SUBSTITUTION;
      let best = Math.min(d[i - 1][j] + DELETION, d[i][j - 1] + INSERTION, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2][j - 2] + (cost ? TRANSPOSITION : 0));
      }
      d[i].push(best);
    }
  }
  return d[a.length][b.length];
}

/**
 * The names nearest to `input`, as Stricli proposes them: those at the smallest distance within
 * the threshold, names starting with the input first, then alphabetically.
 */
export function closestNames(input: string, names: readonly string[]): string[] {
  if (input.length > 1000) return [];
  const scored = names.map((name) => ({ name, distance: editDistance(input, name) }))
    .filter((s) => s.distance <= THRESHOLD);
  const best = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === best).map((s) => s.name).sort((x, y) =>
    Number(y.startsWith(input)) - Number(x.startsWith(input)) || x.localeCompare(y)
  );
}

/**
 * Names people type for what a netdiag command does (other tools' names, other words), beyond
 * the aliases the route map resolves (`scan`, `nc`, `dig`, …): an unknown name found here is
 * answered with these commands, not with the names nearest in spelling.
 */
export const COMMAND_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  lookup: ["resolve", "dns"],
  getent: ["resolve"],
  gethostbyname: ["resolve"],
  host: ["resolve", "dns"],
  drill: ["dns"],
  rdns: ["reverse"],
  ptr: ["reverse"],
  port: ["probe"],
  ports: ["probe"],
  nmap: ["probe"],
  portscan: ["probe"],
  ping: ["ping", "probe", "echo test"],
  tcping: ["ping", "probe"],
  telnet: ["connect"],
  socat: ["connect", "listen"],
  server: ["echo serve", "listen"],
  serve: ["echo serve", "listen"],
  upload: ["send"],
  download: ["receive"],
  scp: ["send", "receive"],
  ifconfig: ["info"],
  ip: ["info"],
  ver: ["version"],
  usage: ["help"],
  man: ["help"],
  curl: ["check"],
  wget: ["check"],
  // Nothing in netdiag does these: no suggestion beats a misleading one.
  whois: [],
  traceroute: [],
  tracert: [],
  mtr: [],
  arp: [],
};

/**
 * The suggestions for an unknown command name: at the root, the {@link COMMAND_SYNONYMS} entry
 * (only the commands that exist; none for a tool netdiag has no counterpart of), else the names
 * nearest in spelling ({@link closestNames}).
 */
export function commandSuggestions(
  input: string,
  names: readonly string[],
  atRoot = true,
): string[] {
  if (!atRoot || !Object.hasOwn(COMMAND_SYNONYMS, input)) return closestNames(input, names);
  return COMMAND_SYNONYMS[input].filter((s) => names.includes(s.split(" ")[0]));
}

/**
 * Go's regular expressions (RE2 syntax, as blackbox_exporter compiles them) turned into
 * JavaScript ones that match the same texts, or refused with the reason when JavaScript cannot
 * mean the same. Converted: `(?P<name>…)`, leading flags `(?i)`, `(?s)`, `(?m)`, `\A`, `\z`,
 * `\Q…\E`, `\pL` / `\p{Greek}`, `\x{…}`, POSIX classes `[[:alpha:]]`, RE2's ASCII `\s`, and
 * escaped punctuation and literal braces (JavaScript's `u` mode is stricter). Refused: what RE2
 * itself refuses that JavaScript would take (look-around, back-references), flags in mid-pattern,
 * `(?U)`, `\C`, and negated POSIX classes.
 * @module
 */

/** A pattern JavaScript cannot mean the same as Go: the message says why. */
export class GoRegexpError extends Error {
  /** @param message Why the pattern is refused. */
  constructor(message: string) {
    super(message);
    this.name = "GoRegexpError";
  }
}

const POSIX: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const JS_SYNTAX = new Set("^$\\.*+?()[]{}|/".split(""));
const RE2_SPACE = "\\t\\n\\f\\r ";

function hexEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp < 0x80 ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u{${cp.toString(16)}}`;
}

function literal(ch: string, inClass = false): string {
  if (JS_SYNTAX.has(ch) || (inClass && ch === "-")) return `\\${ch}`;
  return /[A-Za-z0-9_\s]/.test(ch) ? ch : hexEscape(ch);
}

interface Cursor {
  readonly src: string;
  i: number;
}

/** Translates the escape at `c.i` (just after `\`); `inClass` inside brackets. */
function escape(c: Cursor, inClass: boolean): string {
  const ch = c.src[c.i++];
  if (ch === undefined) throw new GoRegexpError("trailing backslash at end of expression");
  if ("dDwWtnrf".includes(ch)) return `\\${ch}`;
  if (ch === "b" || ch === "B") {
    if (inClass) throw new GoRegexpError(`invalid escape sequence "\\${ch}" in a character class`);
    return `\\${ch}`;
  }
  if (ch === "s") return inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
  if (ch === "S") {
    if (inClass) throw new GoRegexpError('"\\S" inside a character class is not supported');
    return `[^${RE2_SPACE}]`;
  }
  if (ch === "a") return "\\x07";
  if (ch === "v") return "\\x0b";
  if (ch === "A" || ch === "z") {
    if (inClass) throw new GoRegexpError(`invalid escape sequence "\\${ch}" in a character class`);
    return ch === "A" ? "(?<![\\s\\S])" : "(?![\\s\\S])";
  }
  if (ch === "x") {
    if (c.src[c.i] === "{") {
      const end = c.src.indexOf("}", c.i);
      const hex = c.src.slice(c.i + 1, end);
      if (end < 0 || !/^[0-9A-Fa-f]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
        throw new GoRegexpError("invalid escape sequence \\x{…}");
      }
      c.i = end + 1;
      return `\\u{${hex}}`;
    }
    const hex = c.src.slice(c.i, c.i + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new GoRegexpError("invalid escape sequence \\x");
    c.i += 2;
    return `\\x${hex}`;
  }
  if (ch === "p" || ch === "P") {
    let name: string;
    if (c.src[c.i] === "{") {
      const end = c.src.indexOf("}", c.i);
      if (end < 0) throw new GoRegexpError(`invalid character class range \\${ch}{`);
      name = c.src.slice(c.i + 1, end);
      c.i = end + 1;
    } else {
      name = c.src[c.i++] ?? "";
    }
    let negate = ch === "P";
    if (name.startsWith("^")) (negate = !negate, name = name.slice(1));
    if (!/^[A-Za-z_]+$/.test(name)) throw new GoRegexpError(`invalid character class \\p{${name}}`);
    const body = name.length <= 2 || name === "Any" ? name : `Script=${name}`;
    return body === "Any"
      ? (negate ? "[^\\s\\S]" : "[\\s\\S]")
      : `\\${negate ? "P" : "p"}{${body}}`;
  }
  if (ch === "Q") {
    const end = c.src.indexOf("\\E", c.i);
    const text = c.src.slice(c.i, end < 0 ? undefined : end);
    c.i = end < 0 ? c.src.length : end + 2;
    return [...text].map((ch) => literal(ch)).join("");
  }
  if (/[0-9]/.test(ch)) {
    if (ch === "0" || !inClass) {
      throw new GoRegexpError(`invalid escape sequence "\\${ch}" (RE2 has no back-references)`);
    }
  }
  if (/[A-Za-z0-9]/.test(ch)) throw new GoRegexpError(`invalid escape sequence "\\${ch}"`);
  return literal(ch, inClass);
}

/** Translates a bracketed class starting at `c.i` (just after `[`). */
function charClass(c: Cursor): string {
  let out = "[";
  if (c.src[c.i] === "^") (out += "^", c.i++);
  let first = true;
  while (c.i < c.src.length) {
    const ch = c.src[c.i];
    if (ch === "]" && !first) {
      c.i++;
      return out + "]";
    }
    first = false;
    if (c.src.startsWith("[:", c.i)) {
      const end = c.src.indexOf(":]", c.i + 2);
      const name = end < 0 ? "" : c.src.slice(c.i + 2, end);
      if (name.startsWith("^")) {
        throw new GoRegexpError(`negated POSIX class [:${name}:] is not supported`);
      }
      const range = POSIX[name];
      if (range) {
        out += range;
        c.i = end + 2;
        continue;
      }
    }
    c.i++;
    if (ch === "\\") out += escape(c, true);
    else if (ch === "[") out += "\\[";
    else if (ch === "-") out += "-";
    else out += JS_SYNTAX.has(ch) ? `\\${ch}` : ch;
  }
  throw new GoRegexpError("missing closing ]");
}

/** Translates a group opening at `c.i` (just after `(`). */
function groupOpen(c: Cursor, atStart: boolean, flags: Set<string>): string {
  if (c.src[c.i] !== "?") return "(";
  const rest = c.src.slice(c.i);
  let m = /^\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
  if (m) {
    c.i += m[0].length;
    return `(?<${m[1]}>`;
  }
  if (rest.startsWith("?:")) {
    c.i += 2;
    return "(?:";
  }
  m = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(rest);
  if (m && atStart && !m[2] && /^[ism]+$/.test(m[1])) {
    for (const f of m[1]) flags.add(f);
    c.i += m[0].length;
    return "";
  }
  if (/^\?[=!]|^\?<[=!]/.test(rest)) {
    throw new GoRegexpError("look-around assertions are not RE2 syntax");
  }
  if (m || /^\?[a-zA-Z-]*:/.test(rest)) {
    throw new GoRegexpError(
      "flags are only supported as (?i), (?s) or (?m) at the start of the expression",
    );
  }
  throw new GoRegexpError('invalid or unsupported Perl syntax after "("');
}

/**
 * Compiles Go regexp syntax `source` to a JavaScript RegExp matching the same texts (see the
 * module); throws {@link GoRegexpError} for a pattern it refuses or that is invalid.
 */
export function compileGoRegexp(source: string): RegExp {
  const c: Cursor = { src: source, i: 0 };
  const flags = new Set<string>();
  let out = "";
  // Where the last token began, and whether it was an assertion (Go lets `^+` repeat one).
  let last = 0;
  let assertion = false;
  while (c.i < source.length) {
    const atStart = out === "";
    const ch = source[c.i++];
    if (
      "*+?{".includes(ch) && assertion && (ch !== "{" || /^\d+(,\d*)?\}/.test(source.slice(c.i)))
    ) {
      out = `${out.slice(0, last)}(?:${out.slice(last)})`;
    }
    const start = out.length;
    assertion = ch === "^" || ch === "$" || (ch === "\\" && "bBAz".includes(source[c.i]));
    if (ch === "\\") out += escape(c, false);
    else if (ch === "[") out += charClass(c);
    else if (ch === "(") out += groupOpen(c, atStart, flags);
    else if (ch === "{") {
      const m = /^\d+(,\d*)?\}/.exec(source.slice(c.i));
      if (m && out !== "") {
        out += `{${m[0]}`;
        c.i += m[0].length;
      } else out += "\\{";
    } else if (ch === "}" || ch === "]") out += `\\${ch}`;
    else if (ch === "/") out += "\\/";
    else out += ch;
    if (!"*+?{".includes(ch) || out.length - start > 1) last = start;
  }
  try {
    return new RegExp(out, [...flags].join("") + "u");
  } catch (error) {
    throw new GoRegexpError((error as Error).message.replace(/^Invalid regular expression: /, ""));
  }
}

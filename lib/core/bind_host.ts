/**
 * The address a server binds (`--host`), checked when the arguments are parsed: text that no
 * resolver could turn into an address is a usage error (exit 2). A well-formed name that does
 * not resolve is an operational failure found when binding (exit 3).
 * @module
 */
import { InputError, quote } from "./errors.ts";
import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH, parseIpLiteral } from "./dns_name.ts";

const LABEL = /^[A-Za-z0-9_-]+$/;
const ZONE = /^[A-Za-z0-9_.-]+$/;
const EXPECTED = "expected an IP address or a host name of ASCII letters, digits, '-' and '.'";

/** Whether `text` is an IPv6 literal with a zone (`fe80::1%eth0`, brackets allowed). */
function isZonedIpv6(text: string): boolean {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const pct = bare.indexOf("%");
  if (pct < 0) return false;
  const ip = parseIpLiteral(bare.slice(0, pct));
  return ip?.family === 6 && ZONE.test(bare.slice(pct + 1));
}

/** Why `name` is not a host name, or undefined when it is one. */
function hostNameProblem(name: string): string | undefined {
  if (/[^\p{ASCII}]/u.test(name)) {
    return "not ASCII (write an internationalized name in its xn-- form)";
  }
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(name)) return "contains whitespace or control characters";
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (bare.length > MAX_NAME_LENGTH) {
    return `${bare.length} characters, at most ${MAX_NAME_LENGTH} allowed`;
  }
  for (const label of bare.split(".")) {
    if (label === "") return "empty label";
    if (label.length > MAX_LABEL_LENGTH) {
      return `a label has ${label.length} characters, at most ${MAX_LABEL_LENGTH} allowed`;
    }
    if (!LABEL.test(label)) return EXPECTED;
  }
  return undefined;
}

/**
 * Checks a `--host` value: an IPv4 or IPv6 literal (brackets and an IPv6 `%zone` allowed) or a
 * host name (ASCII letters, digits, `-` and `_` in labels of at most 63 characters, at most 253
 * characters in all). Returns it unchanged; throws an {@link InputError} naming the value and
 * saying what is wrong with it otherwise.
 */
export function parseBindHost(text: string): string {
  if (text === "") throw new InputError(`invalid host "": empty; ${EXPECTED}`);
  if (parseIpLiteral(text) || isZonedIpv6(text)) return text;
  const problem = hostNameProblem(text);
  if (problem === undefined) return text;
  throw new InputError(
    `invalid host ${quote(text)}: ${problem}${problem === EXPECTED ? "" : `; ${EXPECTED}`}`,
  );
}

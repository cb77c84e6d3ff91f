/**
 * inet_aton as glibc implements it (and so as CPython's `socket.inet_aton` behaves on Linux):
 * one to four parts separated by dots, each in C notation (`0x` hex, leading `0` octal, else
 * decimal); the last part fills the remaining bytes ("127.1" is 127.0.0.1, "10.1.2" is
 * 10.1.0.2); anything after ASCII whitespace following the address is ignored.
 * @module
 */

/** The largest value of the last part, by how many parts came before it. */
const LAST_PART_MAX = [0xffffffff, 0xffffff, 0xffff, 0xff] as const;

const isDigit = (c: string) => c >= "0" && c <= "9";
const isOctal = (c: string) => c >= "0" && c <= "7";
const isHex = (c: string) => isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
/** C's isspace() for ASCII: space, tab, newline, vertical tab, form feed, carriage return. */
const isAsciiSpace = (c: string) => c === " " || (c >= "\t" && c <= "\r");

/**
 * Reads one number as glibc's `strtoul(…, 0)` does from a position holding a digit: returns its
 * value (capped at 2^32, which no part may reach) and the index just past it.
 */
function readNumber(text: string, start: number): [number, number] {
  let i = start;
  let base = 10;
  let digitOk = isDigit;
  if (text[i] === "0") {
    if ((text[i + 1] === "x" || text[i + 1] === "X") && isHex(text[i + 2] ?? "")) {
      base = 16;
      digitOk = isHex;
      i += 2;
    } else {
      base = 8;
      digitOk = isOctal;
    }
  }
  let value = 0;
  while (i < text.length && digitOk(text[i])) {
    value = Math.min(value * base + Number.parseInt(text[i], 16), 2 ** 32);
    i++;
  }
  return [value, i];
}

/**
 * Parses an IPv4 address as glibc's inet_aton does and returns its four bytes in network order,
 * or undefined where inet_aton returns 0 (and CPython raises OSError). A string holding NUL is
 * refused: CPython cannot pass it to C.
 */
export function inetAton(text: string): Uint8Array | undefined {
  if (text.includes("\0")) return undefined;
  const bytes: number[] = [];
  let i = 0;
  let value: number;
  for (;;) {
    if (!isDigit(text[i] ?? "")) return undefined;
    [value, i] = readNumber(text, i);
    if (value > 0xffffffff) return undefined;
    if (text[i] !== ".") break;
    if (bytes.length > 2 || value > 0xff) return undefined;
    bytes.push(value);
    i++;
  }
  if (i < text.length && !isAsciiSpace(text[i])) return undefined;
  if (value > LAST_PART_MAX[bytes.length]) return undefined;
  const out = new Uint8Array(4);
  out.set(bytes);
  for (let b = 3; b >= bytes.length; b--) {
    out[b] = value & 0xff;
    value = Math.floor(value / 256);
  }
  return out;
}

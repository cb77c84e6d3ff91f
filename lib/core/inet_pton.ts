/**
 * inet_pton as glibc implements it (and so as CPython's `socket.inet_pton` behaves on Linux):
 * strict dotted-quad IPv4 (exactly four decimal octets, no leading zeros) and IPv6 text with at
 * most one `::` and an optional trailing dotted quad.
 * @module
 */

/** An address family of the socket API. */
export type InetFamily = "inet" | "inet6";

const hexValue = (c: string): number => {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
};

/** Writes the strict dotted quad `text` into `out` at `offset`; false where glibc refuses it. */
function pton4Into(text: string, out: Uint8Array, offset: number): boolean {
  let octets = 0;
  let sawDigit = false;
  let current = 0;
  for (const ch of text) {
    if (ch >= "0" && ch <= "9") {
      if (sawDigit && current === 0) return false;
      current = current * 10 + (ch.charCodeAt(0) - 48);
      if (current > 255) return false;
      if (!sawDigit) {
        if (++octets > 4) return false;
        sawDigit = true;
      }
      out[offset + octets - 1] = current;
    } else if (ch === "." && sawDigit) {
      if (octets === 4) return false;
      current = 0;
      sawDigit = false;
    } else {
      return false;
    }
  }
  return octets === 4;
}

/** Parses a strict dotted-quad IPv4 address: four bytes, or undefined where glibc refuses it. */
export function inetPton4(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  return pton4Into(text, out, 0) ? out : undefined;
}

/** Parses IPv6 text as glibc's inet_pton does: sixteen bytes, or undefined where it refuses. */
export function inetPton6(text: string): Uint8Array | undefined {
  const tmp = new Uint8Array(16);
  let tp = 0;
  let colonAt = -1;
  let i = 0;
  if (text.length === 0) return undefined;
  if (text[0] === ":") {
    if (text[1] !== ":") return undefined;
    i = 1;
  }
  let tokenStart = i;
  let digits = 0;
  let value = 0;
  let sawDottedQuad = false;
  while (i < text.length) {
    const ch = text[i++];
    const digit = hexValue(ch);
    if (digit >= 0) {
      if (digits === 4) return undefined;
      value = (value << 4) | digit;
      digits++;
      continue;
    }
    if (ch === ":") {
      tokenStart = i;
      if (digits === 0) {
        if (colonAt >= 0) return undefined;
        colonAt = tp;
        continue;
      }
      if (i === text.length) return undefined;
      if (tp + 2 > 16) return undefined;
      tmp[tp++] = value >> 8;
      tmp[tp++] = value & 0xff;
      digits = 0;
      value = 0;
      continue;
    }
    if (ch === "." && tp + 4 <= 16 && pton4Into(text.slice(tokenStart), tmp, tp)) {
      tp += 4;
      digits = 0;
      sawDottedQuad = true;
      break;
    }
    return undefined;
  }
  if (digits > 0 && !sawDottedQuad) {
    if (tp + 2 > 16) return undefined;
    tmp[tp++] = value >> 8;
    tmp[tp++] = value & 0xff;
  }
  if (colonAt >= 0) {
    if (tp === 16) return undefined;
    const n = tp - colonAt;
    const out = new Uint8Array(16);
    out.set(tmp.subarray(0, colonAt), 0);
    out.set(tmp.subarray(colonAt, tp), 16 - n);
    return out;
  }
  return tp === 16 ? tmp : undefined;
}

/** Parses an address of `family` as inet_pton does; undefined where glibc refuses it. */
export function inetPton(family: InetFamily, text: string): Uint8Array | undefined {
  if (text.includes("\0")) return undefined;
  return family === "inet" ? inetPton4(text) : inetPton6(text);
}

/**
 * inet_ntop / inet_ntoa as glibc implements them (and so as CPython's `socket.inet_ntop` and
 * `socket.inet_ntoa` print on Linux): dotted decimal for IPv4; for IPv6 lowercase hex words
 * without leading zeros, the first longest run of two or more zero words as `::` (RFC 5952),
 * and `::a.b.c.d` / `::ffff:a.b.c.d` for IPv4-compatible and IPv4-mapped addresses.
 * @module
 */

/** Formats four bytes as dotted decimal, as inet_ntoa does. */
export function inetNtop4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** Formats sixteen bytes as IPv6 text exactly as glibc's inet_ntop does. */
export function inetNtop6(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (curBase === -1) [curBase, curLen] = [i, 1];
      else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) [bestBase, bestLen] = [curBase, curLen];
      curBase = -1;
    }
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      return out + inetNtop4(bytes, 12);
    }
    out += words[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ":";
  return out;
}

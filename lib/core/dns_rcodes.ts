/**
 * DNS response codes (IANA "DNS RCODEs"): the 4-bit code of the header, extended to 12 bits by
 * an EDNS OPT record (RFC 6891), by name, with a short explanation for people. Codes without a
 * name are called `RCODE<n>`.
 * @module
 */

/** The named response codes, by number (RFC 1035, 2136, 6891, 7873, 8490, 8945, 2930). */
const NAMES: Readonly<Record<number, string>> = {
  0: "NOERROR",
  1: "FORMERR",
  2: "SERVFAIL",
  3: "NXDOMAIN",
  4: "NOTIMP",
  5: "REFUSED",
  6: "YXDOMAIN",
  7: "YXRRSET",
  8: "NXRRSET",
  9: "NOTAUTH",
  10: "NOTZONE",
  11: "DSOTYPENI",
  // 16 is BADSIG inside a TSIG record; in a header and OPT record it is BADVERS.
  16: "BADVERS",
  17: "BADKEY",
  18: "BADTIME",
  19: "BADMODE",
  20: "BADNAME",
  21: "BADALG",
  22: "BADTRUNC",
  23: "BADCOOKIE",
};

const TEXT: Readonly<Record<string, string>> = {
  NOERROR: "no error",
  FORMERR: "the server could not parse the query",
  SERVFAIL: "server failure",
  NXDOMAIN: "no such name",
  NOTIMP: "the server does not implement this query",
  REFUSED: "the server refused the query",
  YXDOMAIN: "a name exists that should not",
  YXRRSET: "a record set exists that should not",
  NXRRSET: "a record set that should exist does not",
  NOTAUTH: "the server is not authoritative for the zone",
  NOTZONE: "the name is not in the zone",
  DSOTYPENI: "DSO type not implemented",
  BADVERS: "the server does not support this EDNS version",
  BADKEY: "key not recognised",
  BADTIME: "signature out of its time window",
  BADMODE: "bad TKEY mode",
  BADNAME: "duplicate key name",
  BADALG: "algorithm not supported",
  BADTRUNC: "bad truncation",
  BADCOOKIE: "bad or missing server cookie",
};

/** The name of response code `code` (0 to 4095): `NXDOMAIN`, `BADVERS`, … or `RCODE15`. */
export function rcodeName(code: number): string {
  return NAMES[code] ?? `RCODE${code}`;
}

/** A short explanation of a response code named by {@link rcodeName}. */
export function rcodeText(name: string): string {
  const known = TEXT[name];
  if (known) return known;
  const unnamed = /^RCODE(\d+)$/.exec(name);
  return unnamed ? `unassigned response code ${unnamed[1]}` : `response code ${name}`;
}

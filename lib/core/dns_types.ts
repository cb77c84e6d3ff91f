/**
 * The DNS record types netdiag queries, their numbers, and parsing of a type named on the
 * command line.
 * @module
 */
import { InputError, quote } from "./errors.ts";

/** The record types `netdiag dns` asks for. */
export const RECORD_TYPES = [
  "A",
  "AAAA",
  "CNAME",
  "MX",
  "NS",
  "TXT",
  "SRV",
  "SOA",
  "PTR",
  "CAA",
  "NAPTR",
] as const;

/** One of {@link RECORD_TYPES}. */
export type RecordType = typeof RECORD_TYPES[number];

/** The type numbers of {@link RECORD_TYPES} (RFC 1035, 3596, 2782, 3403, 8659). */
export const RECORD_TYPE_NUMBERS: Record<RecordType, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  CAA: 257,
};

/** Whether `text` names a supported record type (any case). */
export function isRecordType(text: string): boolean {
  return (RECORD_TYPES as readonly string[]).includes(text.toUpperCase());
}

/** Parses a record type name (any case); an unknown one is an {@link InputError} naming it. */
export function parseRecordType(text: string): RecordType {
  const upper = text.toUpperCase();
  if (!isRecordType(upper)) {
    throw new InputError(
      `unknown record type ${quote(text)}: expected one of ${RECORD_TYPES.join(", ")}`,
    );
  }
  return upper as RecordType;
}

/** The `aton`, `ntoa`, `pton` and `ntop` commands' definitions. */
import { buildCommand } from "@stricli/core";
import { documented } from "../../documented.ts";
import { jsonFlag } from "../../flags.ts";

const bytesFlag = {
  bytes: {
    kind: "boolean",
    brief: "Print the packed bytes as a Python bytes literal (b'\\x7f...') instead of hex",
    optional: true,
  },
} as const;

const familyFlag = (brief: string) => ({
  family: { kind: "enum", values: ["inet", "inet6"], brief, optional: true },
} as const);

const hexInput = "hex digits, optional 0x prefix, optional ':', '-' or space between bytes";

/** `aton ADDR`: socket.inet_aton, shorthand IPv4 forms included. */
export const atonCommand = buildCommand({
  loader: async () => documented("aton", (await import("./run.ts")).atonCommand),
  parameters: {
    flags: { ...jsonFlag, ...bytesFlag },
    aliases: { j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: "IPv4 address in inet_aton notation",
        placeholder: "addr",
        parse: String,
      }],
    },
  },
  docs: {
    brief: "Pack an IPv4 address as inet_aton does (accepts 127.1, 0x7f.1, 010.0.0.1)",
    fullDescription: "Packs an IPv4 address into its four network-order bytes exactly as " +
      "CPython's socket.inet_aton does on Linux (glibc): one to four '.'-separated parts in C " +
      "notation (decimal, 0x-hex, 0-octal), the last part filling the remaining bytes; " +
      "whitespace after the address ends it. Prints the bytes as hex (--bytes: as a Python " +
      "literal). Invalid text exits 2.\n\n" +
      "Examples:\n  netdiag aton 127.1            prints 7f000001\n" +
      "  netdiag aton 0x7f.1 --bytes    prints b'\\x7f\\x00\\x00\\x01'\n" +
      "  netdiag aton 010.0.0.1 --json",
  },
});

/** `ntoa HEX`: socket.inet_ntoa. */
export const ntoaCommand = buildCommand({
  loader: async () => documented("ntoa", (await import("./run.ts")).ntoaCommand),
  parameters: {
    flags: { ...jsonFlag },
    aliases: { j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{ brief: `4 packed bytes: ${hexInput}`, placeholder: "hex", parse: String }],
    },
  },
  docs: {
    brief: "Print 4 packed bytes as a dotted IPv4 address, as inet_ntoa does",
    fullDescription: "Prints four network-order bytes, given as hex, as a dotted-decimal IPv4 " +
      "address like CPython's socket.inet_ntoa. Anything but exactly 4 bytes exits 2.\n\n" +
      "Examples:\n  netdiag ntoa 7f000001         prints 127.0.0.1\n" +
      "  netdiag ntoa 0xc0:a8:00:01     prints 192.168.0.1",
  },
});

/** `pton ADDR`: socket.inet_pton, IPv4 or IPv6. */
export const ptonCommand = buildCommand({
  loader: async () => documented("pton", (await import("./run.ts")).ptonCommand),
  parameters: {
    flags: {
      ...jsonFlag,
      ...bytesFlag,
      ...familyFlag("Address family; default inet6 when the address holds ':', else inet"),
    },
    aliases: { j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{ brief: "IPv4 or IPv6 address", placeholder: "addr", parse: String }],
    },
  },
  docs: {
    brief: "Pack an IPv4 or IPv6 address strictly, as inet_pton does",
    fullDescription: "Packs an address into network-order bytes exactly as CPython's " +
      "socket.inet_pton does on Linux (glibc): IPv4 must be four decimal octets without " +
      "leading zeros; IPv6 may use one '::' and end in a dotted quad. The family is inferred " +
      "(':' means inet6) unless --family is given. Prints hex (--bytes: a Python literal). " +
      "Invalid text exits 2.\n\n" +
      "Examples:\n  netdiag pton 192.0.2.1                prints c0000201\n" +
      "  netdiag pton ::1                      prints 00000000000000000000000000000001\n" +
      "  netdiag pton --family inet6 ::ffff:10.0.0.1 --bytes",
  },
});

/** `ntop HEX`: socket.inet_ntop, IPv4 or IPv6. */
export const ntopCommand = buildCommand({
  loader: async () => documented("ntop", (await import("./run.ts")).ntopCommand),
  parameters: {
    flags: {
      ...jsonFlag,
      ...familyFlag("Address family; default from the length (4 bytes inet, 16 inet6)"),
    },
    aliases: { j: "json" },
    positional: {
      kind: "tuple",
      parameters: [{
        brief: `4 or 16 packed bytes: ${hexInput}`,
        placeholder: "hex",
        parse: String,
      }],
    },
  },
  docs: {
    brief: "Print 4 or 16 packed bytes as an address, as inet_ntop does",
    fullDescription: "Prints network-order bytes, given as hex, as address text exactly like " +
      "CPython's socket.inet_ntop on Linux (glibc): IPv6 in RFC 5952 form (lowercase, the " +
      "longest run of zero groups as '::'), IPv4-mapped and IPv4-compatible addresses with a " +
      "dotted quad. 4 bytes are inet, 16 inet6; other lengths exit 2.\n\n" +
      "Examples:\n  netdiag ntop 20010db8000000000000000000000001   prints 2001:db8::1\n" +
      "  netdiag ntop 00000000000000000000ffffc0000201   prints ::ffff:192.0.2.1\n" +
      "  netdiag ntop --family inet 7f000001 --json",
  },
});

/**
 * The `info` report: what netdiag runs on (runtime, platform, byte order), whether IPv6 is
 * usable (::1 configured on an interface) and the interface addresses.
 * @module
 */
import type { Endianness } from "./byte_order.ts";

/** An interface address as node:os `networkInterfaces()` reports it (Deno, Bun and Node). */
export interface RawInterfaceAddress {
  readonly address: string;
  readonly netmask: string;
  /** "IPv4" / "IPv6" (older Node versions: 4 / 6). */
  readonly family: string | number;
  readonly mac: string;
  readonly internal: boolean;
  readonly cidr: string | null;
  readonly scopeid?: number;
}

/** One address of one interface. */
export interface InterfaceAddress {
  readonly name: string;
  readonly family: "IPv4" | "IPv6";
  readonly address: string;
  readonly netmask: string;
  /** Address and prefix length, e.g. `127.0.0.1/8`; null when the netmask is not a prefix. */
  readonly cidr: string | null;
  /** Whether the interface is a loopback (internal) one. */
  readonly internal: boolean;
  readonly mac: string;
  /** The IPv6 scope (zone) id; absent for IPv4. */
  readonly scopeid?: number;
}

/** What the runtime and machine report, the input of {@link buildInfo}. */
export interface InfoInputs {
  readonly version: string;
  readonly runtime: { readonly name: string; readonly version: string };
  readonly platform: { readonly os: string; readonly arch: string };
  readonly hostByteOrder: Endianness;
  readonly interfaces: Readonly<Record<string, readonly RawInterfaceAddress[] | undefined>>;
}

/** The `info` result. */
export interface InfoResult {
  /** netdiag's version. */
  readonly netdiag: string;
  readonly runtime: { readonly name: string; readonly version: string };
  readonly platform: { readonly os: string; readonly arch: string };
  readonly hostByteOrder: Endianness;
  readonly ipv6: {
    /** Whether ::1 is configured on an interface (the kernel has IPv6 enabled). */
    readonly supported: boolean;
    /** The interface holding ::1, or null. */
    readonly loopbackInterface: string | null;
    /** How many IPv6 addresses are configured on non-loopback interfaces. */
    readonly externalAddresses: number;
  };
  readonly interfaces: readonly InterfaceAddress[];
}

function normaliseFamily(family: string | number): "IPv4" | "IPv6" {
  return family === 6 || family === "IPv6" ? "IPv6" : "IPv4";
}

/** Builds the `info` result from what the runtime reported. */
export function buildInfo(inputs: InfoInputs): InfoResult {
  const interfaces: InterfaceAddress[] = [];
  for (const [name, addresses] of Object.entries(inputs.interfaces)) {
    for (const a of addresses ?? []) {
      const family = normaliseFamily(a.family);
      interfaces.push({
        name,
        family,
        address: a.address,
        netmask: a.netmask,
        cidr: a.cidr ?? null,
        internal: a.internal,
        mac: a.mac,
        ...(family === "IPv6" && a.scopeid !== undefined ? { scopeid: a.scopeid } : {}),
      });
    }
  }
  const loopback = interfaces.find((i) => i.family === "IPv6" && i.address === "::1");
  return {
    netdiag: inputs.version,
    runtime: { ...inputs.runtime },
    platform: { ...inputs.platform },
    hostByteOrder: inputs.hostByteOrder,
    ipv6: {
      supported: loopback !== undefined,
      loopbackInterface: loopback?.name ?? null,
      externalAddresses: interfaces.filter((i) => i.family === "IPv6" && !i.internal).length,
    },
    interfaces,
  };
}

/**
 * The engine's {@link CheckOptions} from the flags `check` and `ping` share; `--ca` is read here
 * (an unreadable file is bad input, exit 2).
 * @module
 */
import type { CheckOptions } from "../../../check/types.ts";
import { InputError, quote } from "../../../core/errors.ts";
import { readErrorReason, readTextFile } from "../../../runtime/read_text.ts";
import type { CheckFlags, TargetFlags } from "./flags.ts";

/** Reads the `--ca` file (PEM). */
async function readCa(path: string): Promise<string> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    throw new InputError(`cannot read --ca ${quote(path)}: ${readErrorReason(error)}`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new InputError(`--ca ${quote(path)} holds no PEM certificate`);
  }
  return text;
}

/** The options of one check from the flags. */
export async function checkOptions(
  target: string,
  flags: TargetFlags & Partial<CheckFlags>,
): Promise<CheckOptions> {
  return {
    target,
    tls: flags.tls,
    family: flags.ipv4 ? 4 : flags.ipv6 ? 6 : undefined,
    allAddrs: flags.allAddrs,
    resolve: flags.resolve,
    source: flags.source ?? (flags.server ? "dns" : undefined),
    server: flags.server,
    hostsFile: flags.hostsFile,
    unixSocket: flags.unixSocket,
    servername: flags.servername,
    ca: flags.ca === undefined ? undefined : await readCa(flags.ca),
    insecure: flags.insecure,
    method: flags.request,
    headers: flags.header,
    follow: flags.follow,
    maxRedirects: flags.maxRedirects,
    maxBodyBytes: flags.maxBody,
    timeoutMs: flags.timeout,
    expectStatus: flags.expectStatus,
    certMinDays: flags.certMinDays,
    expectBody: flags.expectBody,
    slo: flags.slo,
  };
}

/**
 * Reading a check target: a URL (`http://`, `https://`), a bare host (https), `host:port`
 * (TCP), a host with a path (`example.com/health`: https, as curl reads it) or a Unix socket
 * (`unix:/path`, or a path starting with `/` or `.`); and curl's `--resolve` entries.
 * @module
 */
import { InputError, quote } from "../core/errors.ts";
import { parseUnixPath } from "../core/unix_path.ts";
import type { CheckTarget } from "./types.ts";

/** Parses a check target; an {@link InputError} for anything else. */
export function parseCheckTarget(text: string): CheckTarget {
  const t = text.trim();
  if (/^https?:\/\//i.test(t)) {
    let url: URL;
    try {
      url = new URL(t);
    } catch {
      throw new InputError(`invalid URL ${quote(text)}`);
    }
    const scheme = url.protocol === "https:" ? "https" : "http";
    if (!url.hostname) throw new InputError(`invalid URL ${quote(text)}: no host`);
    return {
      scheme,
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port ? Number(url.port) : scheme === "https" ? 443 : 80,
      path: `${url.pathname || "/"}${url.search}`,
      url: url.href,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    throw new InputError(
      `unsupported target ${quote(text)}: expected http://, https://, host:port or a Unix path`,
    );
  }
  // `example.com/health` is a URL without its scheme, as curl reads it; a Unix socket is
  // `unix:…` or a path that starts with `/` or `.` (`./app.sock`).
  if (/^[^\s/:.][^\s/:]*(:\d+)?\//.test(t) && !/^[^/]*\.sock\b/.test(t)) {
    return parseCheckTarget(`https://${t}`);
  }
  if (/^unix:/i.test(t) || t.includes("/")) {
    const socketPath = parseUnixPath(/^unix:/i.test(t) ? t.slice(5) : t);
    return { scheme: "tcp", host: "localhost", port: 0, path: "", socketPath };
  }
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(t) ?? /^([^:/\s]+):(\d+)$/.exec(t);
  if (m) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new InputError(`invalid port in ${quote(text)}`);
    return { scheme: "tcp", host: m[1], port, path: "" };
  }
  if (/^[^\s/:]+$/.test(t) || /^\[[^\]]+\]$/.test(t)) {
    return parseCheckTarget(`https://${t}/`);
  }
  throw new InputError(
    `invalid target ${quote(text)}: expected a URL, a host name, host:port or a Unix path`,
  );
}

/** A `--resolve` entry. */
export interface ResolveEntry {
  readonly host: string;
  readonly port: number;
  readonly addresses: readonly string[];
}

/** Parses curl's `HOST:PORT:ADDR[,ADDR…]` (IPv6 addresses in brackets or bare). */
export function parseResolveEntry(text: string): ResolveEntry {
  const m = /^([^:]+):(\d+):(.+)$/.exec(text.trim());
  if (!m) throw new InputError(`invalid resolve entry ${quote(text)}: expected HOST:PORT:ADDR`);
  const addresses = m[3].split(",").map((a) => a.trim().replace(/^\[|\]$/g, "")).filter(Boolean);
  if (!addresses.length) throw new InputError(`invalid resolve entry ${quote(text)}: no address`);
  return { host: m[1].toLowerCase(), port: Number(m[2]), addresses };
}

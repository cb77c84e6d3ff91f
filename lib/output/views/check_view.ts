/**
 * `netdiag check`'s document and human view: the staged report (resolve, connect, tls, http,
 * each redirect hop), the certificate summary, the httpstat-style waterfall of the phases with
 * curl's cumulative times, and the verdict. Pure functions over lib/check's result types;
 * everything from the peer goes through `escapeTerminal`.
 * @module
 */
import type {
  CheckHop,
  CheckResult,
  CheckTimings,
  CheckVerdict,
  ConnectAttempt,
  ConnectStage,
  ExpectationResult,
  HttpStage,
  ResolveStage,
  TlsStage,
} from "../../check/types.ts";
import { escapeTerminal } from "../../core/terminal_text.ts";
import type { DocumentParts } from "../document_emit.ts";
import { formatHostPort } from "../format.ts";
import type { Style } from "../style.ts";
import { formatBytes, formatDuration } from "../units.ts";

type Handshake = NonNullable<TlsStage["handshake"]>;
type Certificate = Handshake["chain"][number];

/** One certificate in the document: the handshake's fields without the PEM text. */
export type CertificateEntry = Omit<Certificate, "pem">;

/** One element of the document's `results`: a stage of a hop, or one address (`--all-addrs`). */
export type CheckStageEntry =
  | ({ readonly stage: "resolve"; readonly hop: number; readonly host: string } & ResolveStage)
  | ({ readonly stage: "connect"; readonly hop: number } & ConnectStage)
  | (
    & { readonly stage: "tls"; readonly hop: number }
    & Omit<TlsStage, "handshake">
    & { readonly handshake?: Omit<Handshake, "chain"> & { chain: CertificateEntry[] } }
  )
  | ({ readonly stage: "http"; readonly hop: number } & HttpStage)
  | ({ readonly stage: "address"; readonly port: number } & ConnectAttempt);

/** The document's `summary`. */
export interface CheckSummary {
  readonly target: string;
  readonly url: string | null;
  readonly verdict: CheckVerdict;
  /** The final hop's timings. */
  readonly timings: CheckTimings;
  readonly expectations: readonly ExpectationResult[];
  /** Requests made: 1, plus one per redirect followed. */
  readonly hops: number;
  readonly totalMs: number;
}

/** The document parts of a check (`--json`: `summary` and `results`). */
export function checkParts(
  input: string,
  result: CheckResult,
): DocumentParts<CheckStageEntry, CheckSummary> {
  const results: CheckStageEntry[] = [];
  result.hops.forEach((hop, i) => results.push(...hopEntries(hop, i)));
  for (const a of result.allAddrs ?? []) {
    results.push({ stage: "address", port: result.target.port, ...a });
  }
  const last = result.hops[result.hops.length - 1];
  return {
    summary: {
      target: input,
      url: result.target.url ?? null,
      verdict: result.verdict,
      timings: last.timings,
      expectations: result.expectations,
      hops: result.hops.length,
      totalMs: result.totalMs,
    },
    results,
  };
}

function hopEntries(hop: CheckHop, i: number): CheckStageEntry[] {
  const out: CheckStageEntry[] = [
    { stage: "resolve", hop: i, host: hop.target.host, ...hop.resolve },
    { stage: "connect", hop: i, ...hop.connect },
  ];
  if (hop.tls) {
    const { handshake, ...rest } = hop.tls;
    out.push({
      stage: "tls",
      hop: i,
      ...rest,
      ...(handshake
        ? { handshake: { ...handshake, chain: handshake.chain.map(({ pem: _, ...c }) => c) } }
        : {}),
    });
  }
  if (hop.http) out.push({ stage: "http", hop: i, ...hop.http });
  return out;
}

const e = escapeTerminal;
const WIDTH = 78;

/** A stage line: name, text, and the time right-aligned. */
function stageLine(name: string, text: string, time: number | undefined, style: Style): string {
  const t = time === undefined ? "" : formatDuration(time);
  // deno-lint-ignore no-control-regex
  const visible = text.replace(/\x1b\[[0-9;]*m/g, "").length;
  const pad = Math.max(2, WIDTH - 10 - visible - t.length);
  return `${style.bold(name.padEnd(10))}${text}${" ".repeat(pad)}${t}\n`;
}

const failed = (error: string | undefined, style: Style) =>
  style.red(`failed: ${e(error ?? "unknown error")}`);
const skipped = (style: Style) => style.dim("skipped");

/** The leaf certificate in two indented lines: names, expiry, key and verification. */
export function certificateLines(
  h: Omit<Handshake, "chain"> & { chain: readonly CertificateEntry[] },
  style: Style,
): string {
  const leaf = h.chain[0];
  if (!leaf) return "";
  const pad = " ".repeat(10);
  const day = e(leaf.notAfter.slice(0, 10));
  const when = leaf.daysLeft < 0
    ? style.red(`expired ${day} (${-leaf.daysLeft} days ago)`)
    : leaf.notBefore > new Date().toISOString()
    ? style.red(`not valid before ${e(leaf.notBefore.slice(0, 10))}`)
    : `expires ${day} (${leaf.daysLeft} days left)`;
  const key = [leaf.key.curve ?? (leaf.key.bits ? String(leaf.key.bits) : null), leaf.key.type]
    .filter((s) => s).map((s) => e(String(s))).join(" ");
  const verdict = h.authorized
    ? style.green(`verified (${e(h.checkedName)})`)
    : style.red(`NOT verified: ${h.reasons.join(", ") || e(h.authorizationError ?? "?")}`) +
      (h.insecure ? " (--insecure)" : "");
  const more = h.chain.length > 1 ? ` (+${h.chain.length - 1} in the chain)` : "";
  return `${pad}certificate ${e(leaf.subject)}, issued by ${e(leaf.issuer)}${more}\n` +
    `${pad}  ${when}, ${key}, ${verdict}\n`;
}

/** One result's lines in the staged report. */
export function stageText(s: CheckStageEntry, style: Style): string {
  const hop = "hop" in s && s.hop > 0 ? ` [hop ${s.hop}]` : "";
  switch (s.stage) {
    case "resolve": {
      if (s.status !== "ok") {
        // Skipped only for a Unix socket: there is no name to resolve.
        const text = s.status === "skipped"
          ? `${skipped(style)} (Unix socket)`
          : `${e(s.host)}: ${failed(s.error, style)}`;
        return stageLine("resolve", text + hop, s.ms, style);
      }
      const via = s.aliases?.length ? `, via ${s.aliases.map(e).join(" → ")}` : "";
      const text = `${e(s.host)} → ${s.addresses.map((a) => e(a.address)).join(", ")} ` +
        `(${e(s.source)})${via}${hop}`;
      return stageLine("resolve", text, s.ms, style);
    }
    case "connect": {
      // Port 0: a Unix socket, whose address is its path.
      const where = s.address === undefined
        ? ""
        : (s.port === 0 ? e(s.address) : formatHostPort(e(s.address), s.port)) + " ";
      const text = s.status === "ok"
        ? where.trimEnd()
        : where + (s.status === "skipped" ? skipped(style) : failed(s.error, style));
      const tried = s.attempts.length > 1 ? ` (${s.attempts.length} attempts)` : "";
      return stageLine("connect", text + tried + hop, s.ms, style);
    }
    case "tls": {
      if (!s.handshake) {
        return stageLine(
          "tls",
          (s.status === "skipped" ? skipped(style) : failed(s.error, style)) + hop,
          s.ms,
          style,
        );
      }
      const h = s.handshake;
      const text = `${e(h.protocol)} ${e(h.cipher)}` + (h.alpn ? `, ALPN ${e(h.alpn)}` : "") +
        (h.servername ? `, SNI ${e(h.servername)}` : "") + hop;
      return stageLine("tls", text, s.ms, style) + certificateLines(h, style);
    }
    case "http": {
      const req = `${e(s.method)} ${e(s.url)}`;
      if (s.statusCode === undefined) {
        return stageLine(
          "http",
          `${req}: ${s.status === "skipped" ? skipped(style) : failed(s.error, style)}${hop}`,
          s.ms,
          style,
        );
      }
      const h = s.headers ?? {};
      const facts = [
        h.contentType ? e(h.contentType) : null,
        s.bodyBytes !== undefined ? formatBytes(s.bodyBytes) + (s.bodyTruncated ? "+" : "") : null,
        h.location ? `→ ${e(h.location)}` : null,
      ].filter((x) => x).join(", ");
      const code = `${s.statusCode}${s.statusText ? " " + e(s.statusText) : ""}`;
      const text = `${req} → ${s.status === "ok" ? code : style.red(code)}` +
        `${facts ? ", " + facts : ""}${hop}`;
      return stageLine("http", text, s.ms, style);
    }
    case "address": {
      const where = formatHostPort(e(s.address), s.port);
      const text = s.status === "ok"
        ? `${where} connected`
        : `${where} ${style.red(`${s.status}${s.code ? ": " + e(s.code) : ""}`)}`;
      return stageLine("address", text, s.ms, style);
    }
  }
}

const PHASES: readonly [keyof CheckTimings, string][] = [
  ["dnsMs", "DNS Lookup"],
  ["connectMs", "TCP Connection"],
  ["tlsMs", "TLS Handshake"],
  ["serverMs", "Server Processing"],
  ["transferMs", "Content Transfer"],
];

/**
 * The httpstat waterfall: one column per phase that took time or belongs to the check (TLS only
 * when there was a handshake, server and transfer only for HTTP), then curl's cumulative times.
 */
export function waterfall(t: CheckTimings, phases: { tls: boolean; http: boolean }): string {
  const cols = PHASES.filter(([key]) =>
    key === "tlsMs" ? phases.tls : key === "serverMs" || key === "transferMs" ? phases.http : true
  );
  const widths = cols.map(([, label]) => label.length + 2);
  const head = cols.map(([, label], i) => ` ${label}`.padEnd(widths[i])).join(" ");
  const cells = cols.map(([key], i) => center(formatDuration(t[key] as number), widths[i]))
    .join("|");
  const c = t.cumulativeMs;
  const marks: [string, number, boolean][] = [
    ["namelookup", c.namelookup, true],
    ["connect", c.connect, true],
    ["appconnect", c.appconnect, phases.tls],
    ["pretransfer", c.pretransfer, phases.http],
    ["starttransfer", c.starttransfer, phases.http],
    ["total", c.total, true],
  ];
  const cumulative = marks.filter(([, , shown]) => shown)
    .map(([name, v]) => `${name} ${formatDuration(v)}`).join(", ");
  return ` ${head.trimEnd()}\n[${cells}]\n  ${cumulative}\n`;
}

function center(text: string, width: number): string {
  const left = Math.max(0, Math.floor((width - text.length) / 2));
  return (" ".repeat(left) + text).padEnd(width);
}

/** The verdict line, with the expectations that failed after the first. */
export function verdictLine(
  v: CheckVerdict,
  expectations: readonly ExpectationResult[],
  style: Style,
): string {
  const misses = expectations.filter((x) => !x.ok).map((x) => `${x.name}: ${e(x.detail)}`);
  if (v.ok) return `verdict: ${style.green("ok")}\n`;
  const more = misses.length > 1 ? `\n  expectations not met: ${misses.join("; ")}` : "";
  return `verdict: ${style.red("failed")} at ${v.stage}: ${v.reason} (${e(v.detail)})${more}\n`;
}

/** The whole human report of one check. */
export function checkText(
  parts: DocumentParts<CheckStageEntry, CheckSummary>,
  style: Style,
): string {
  const stages = parts.results.map((s) => stageText(s, style)).join("");
  const last = parts.results.filter((r) => r.stage !== "address");
  const lastHop = Math.max(0, ...last.map((r) => ("hop" in r ? r.hop : 0)));
  const inHop = last.filter((r) => "hop" in r && r.hop === lastHop);
  const reached = inHop.some((r) => r.stage === "connect" && r.status === "ok");
  const fall = reached
    ? "\n" + waterfall(parts.summary.timings, {
      tls: inHop.some((r) => r.stage === "tls" && r.status !== "skipped"),
      http: inHop.some((r) => r.stage === "http" && r.statusCode !== undefined),
    })
    : "";
  return stages + fall + "\n" +
    verdictLine(parts.summary.verdict, parts.summary.expectations, style);
}

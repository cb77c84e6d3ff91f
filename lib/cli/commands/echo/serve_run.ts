/**
 * `netdiag echo serve`: run the echo server until SIGINT/SIGTERM (or one client with --once).
 * @module
 */
import type { EchoMode } from "../../../core/echo_reply.ts";
import { type ListeningRecord, planListeners, type ServeTotals } from "../../../core/echo_serve.ts";
import { serverEndpoint } from "../../../core/endpoint.ts";
import { InputError, quote } from "../../../core/errors.ts";
import { ExitCode } from "../../../core/exit_code.ts";
import { startEchoServer } from "../../../echo/mod.ts";
import { lookupBindHost } from "../../../net/host_lookup.ts";
import { netAdapter, NetError } from "../../../net/mod.ts";
import { resultDocument, summaryLine } from "../../../output/document.ts";
import { diagnostic, styleFor, toJson, toNdjsonLine } from "../../../output/emit.ts";
import { type OutputFormat, outputFormat } from "../../../output/format.ts";
import {
  ECHO_SERVE,
  listeningLine,
  type ListeningResult,
  listeningResult,
  serveSummary,
  sessionLine,
  totalsText,
} from "../../../output/views/echo_view.ts";
import { interruptible } from "../../interrupt.ts";
import type { NetdiagContext } from "../../context.ts";
import { netFailure } from "../../exit.ts";

/** The flags of `netdiag echo serve`. */
export interface EchoServeFlags {
  readonly tcp?: number;
  readonly udp?: number;
  readonly unix?: string;
  readonly port?: number;
  readonly host: string;
  readonly mode?: EchoMode;
  readonly prefix?: string;
  readonly framed?: boolean;
  readonly maxConns: number;
  readonly idleTimeout: number;
  readonly maxFrame: number;
  readonly once?: boolean;
  readonly quiet?: boolean;
  readonly json?: boolean;
  readonly ndjson?: boolean;
}

/** Runs `netdiag echo serve`. */
export async function echoServeCommand(
  this: NetdiagContext,
  given: EchoServeFlags,
  ...operands: string[]
): Promise<void> {
  const flags = withOperands(given, operands);
  const format = outputFormat(flags);
  const plan = planListeners(flags);
  // A value rule, not a pair of flags: --prefix goes with --mode prefix (or no --mode).
  if (flags.prefix !== undefined && flags.mode !== undefined && flags.mode !== "prefix") {
    throw new InputError(
      `conflicting flags "--prefix" and "--mode ${flags.mode}": --prefix needs --mode prefix`,
    );
  }
  const out = serveOutput(this, format, flags.quiet ?? false);
  const adapter = await netAdapter();
  const host = await lookupBindHost(flags.host);
  const stop = interruptible(this.io);
  try {
    const server = await startEchoServer(adapter, {
      plan,
      host,
      mode: flags.mode ?? (flags.prefix !== undefined ? "prefix" : "echo"),
      prefix: flags.prefix,
      framed: flags.framed ?? false,
      maxConns: flags.maxConns,
      idleTimeoutMs: flags.idleTimeout,
      maxFrameBytes: flags.maxFrame,
      once: flags.once ?? false,
    }, {
      onSession: out.session,
      onWarning: (message) => diagnostic(this, `netdiag: ${message}`),
    }, stop.signal).catch((error) => {
      throw error instanceof NetError ? netFailure(error.message, error.code, error) : error;
    });
    for (const record of server.listening) out.listening(record);
    out.end(await server.done);
  } finally {
    stop.remove();
  }
}

/** Where `echo serve` reports, in the chosen format. */
interface ServeOutput {
  /** A finished client session: stderr, a line of text or of JSON (none with --quiet). */
  session(record: Parameters<typeof sessionLine>[0]): void;
  /** A bound socket: stdout (with --json, stderr until the document). */
  listening(record: ListeningRecord): void;
  /** The totals: stdout, as text, the document or the summary line; exit 0. */
  end(totals: ServeTotals): void;
}

/**
 * Human: `listening …` lines and the totals on stdout, one line per session on stderr.
 * `--ndjson`: `listening` lines and a `summary` line on stdout, `connection` lines on stderr.
 * `--json`: the document at the end (the bound sockets as its results, the totals as its
 * summary), with the human lines on stderr meanwhile, so the ports can still be read.
 */
function serveOutput(context: NetdiagContext, format: OutputFormat, quiet: boolean): ServeOutput {
  const errStyle = styleFor(context, "stderr");
  const bound: ListeningResult[] = [];
  const write = (stream: "stdout" | "stderr", text: string) => context.io.write(stream, text);
  return {
    session(record) {
      if (quiet) return;
      write("stderr", format === "ndjson" ? toNdjsonLine(record) : sessionLine(record, errStyle));
    },
    listening(record) {
      if (format === "ndjson") {
        write("stdout", toNdjsonLine({ type: "listening", ...listeningResult(record) }));
      } else if (format === "json") {
        bound.push(listeningResult(record));
        write("stderr", listeningLine(record));
      } else write("stdout", listeningLine(record));
    },
    end(totals) {
      const code = ExitCode.Ok;
      const summary = serveSummary(totals);
      if (format === "ndjson") {
        write("stdout", toNdjsonLine(summaryLine(ECHO_SERVE, code, summary)));
      } else if (format === "json") {
        write("stdout", toJson(resultDocument(ECHO_SERVE, code, summary, bound)));
      } else write("stdout", totalsText(totals));
      context.process.exitCode = code;
    },
  };
}

/** The operands (PORT, HOST:PORT, HOST PORT or a socket PATH; docs/endpoints.md) as flags. */
function withOperands(flags: EchoServeFlags, operands: readonly string[]): EchoServeFlags {
  const target = serverEndpoint(operands, { port: flags.port });
  if (target === undefined || operands.length === 0) return flags;
  if (target.kind === "ip") return { ...flags, host: target.host ?? flags.host, port: target.port };
  if (flags.unix !== undefined) {
    throw new InputError(`unexpected ${quote(target.path)}: "--unix" already says where`);
  }
  return { ...flags, unix: target.path };
}

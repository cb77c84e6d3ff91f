/**
 * `netdiag echo serve`: run the echo server until SIGINT/SIGTERM (or one client with --once).
 * @module
 */
import { planListeners } from "../core/echo_serve.ts";
import { InputError, OperationalError } from "../core/errors.ts";
import { ExitCode } from "../core/exit_code.ts";
import { startEchoServer } from "../echo/server.ts";
import { netAdapter, NetError } from "../net/mod.ts";
import { lookupBindHost } from "../net/host_lookup.ts";
import { diagnostic, styleFor, toNdjsonLine } from "../output/emit.ts";
import { listeningLine, sessionLine, totalsText } from "../output/views/echo_view.ts";
import { onShutdownSignal } from "../runtime/signals.ts";
import type { NetdiagContext } from "./context.ts";
import type { EchoServeFlags } from "./echo.ts";

/** Runs `netdiag echo serve`. */
export default async function echoServe(
  this: NetdiagContext,
  flags: EchoServeFlags,
  port?: number,
): Promise<void> {
  const plan = planListeners(flags, port);
  if (flags.prefix !== undefined && flags.mode !== undefined && flags.mode !== "prefix") {
    throw new InputError(
      `conflicting flags "--prefix" and "--mode ${flags.mode}": --prefix needs --mode prefix`,
    );
  }
  const mode = flags.mode ?? (flags.prefix !== undefined ? "prefix" : "echo");
  const ndjson = flags.ndjson ?? false;
  const errStyle = styleFor(this, "stderr");
  const adapter = await netAdapter();
  const host = flags.host === undefined ? undefined : await lookupBindHost(flags.host);
  let server;
  try {
    server = await startEchoServer(adapter, {
      plan,
      host,
      mode,
      prefix: flags.prefix,
      framed: flags.framed ?? false,
      maxConns: flags.maxConns,
      idleTimeoutMs: flags.idleTimeout,
      maxFrameBytes: flags.maxFrame,
      once: flags.once ?? false,
    }, {
      onSession: (record) => {
        if (flags.quiet) return;
        this.io.write("stderr", ndjson ? toNdjsonLine(record) : sessionLine(record, errStyle));
      },
      onWarning: (message) => diagnostic(this, `netdiag: ${message}`),
    });
  } catch (error) {
    if (error instanceof NetError) {
      throw new OperationalError(error.message, { cause: error });
    }
    throw error;
  }
  const removeSignals = onShutdownSignal(() => void server.stop());
  try {
    for (const record of server.listening) {
      this.io.write("stdout", ndjson ? toNdjsonLine(record) : listeningLine(record));
    }
    const totals = await server.done;
    this.io.write("stdout", ndjson ? toNdjsonLine(totals) : totalsText(totals));
  } finally {
    removeSignals();
  }
  this.process.exitCode = ExitCode.Ok;
}

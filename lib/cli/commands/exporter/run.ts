/**
 * `netdiag exporter`: flags → {@link ExporterOptions}, the server started until SIGINT/SIGTERM,
 * SIGHUP → reload, then the totals. `--check-config` loads the config and reports only.
 * @module
 */
import { InputError, quote } from "../../../core/errors.ts";
import { ExitCode } from "../../../core/exit_code.ts";
import { escapeTerminal } from "../../../core/terminal_text.ts";
import { isLoopbackHost } from "../../../exporter/allow_list.ts";
import { loadConfigFile } from "../../../exporter/config_file.ts";
import { type ExporterTotals, startExporter } from "../../../exporter/server.ts";
import { ConfigError, type ExporterConfig } from "../../../exporter/types.ts";
import { netAdapter, NetError } from "../../../net/mod.ts";
import { onReloadSignal } from "../../../runtime/reload_signal.ts";
import type { NetdiagContext } from "../../context.ts";
import { netFailure } from "../../exit.ts";
import { interruptible } from "../../interrupt.ts";
import type { ExporterFlags } from "./flags.ts";

/** Runs `netdiag exporter`. */
export async function exporterCommand(this: NetdiagContext, flags: ExporterFlags): Promise<void> {
  const config = await loadOrExplain(flags.config);
  if (flags.checkConfig) {
    this.io.write("stdout", `config ${quote(flags.config)}: valid, ${moduleList(config)}\n`);
    this.process.exitCode = ExitCode.Ok;
    return;
  }
  const { host, port } = flags.listen;
  const allowList = flags.allowTarget?.length ? flags.allowTarget : undefined;
  if (!isLoopbackHost(host) && !allowList && !flags.allowAnyTarget) {
    throw new InputError(
      `refusing to listen on ${quote(host)} without a target allow-list: an open exporter ` +
        "probes whatever anyone asks (request forgery); give --allow-target CIDR|host " +
        "(repeatable) or --allow-any-target",
    );
  }
  const adapter = await netAdapter();
  const stop = interruptible(this.io);
  const say = (text: string) => this.io.write("stderr", `netdiag exporter: ${text}\n`);
  let removeReload = () => {};
  try {
    const exporter = await startExporter(adapter, {
      hostname: host,
      port,
      config,
      loadConfig: () => loadConfigFile(flags.config),
      allowList,
      timeoutOffsetSeconds: flags.timeoutOffset / 1000,
      maxConcurrent: flags.maxConcurrent,
    }, {
      onReload: (error) =>
        say(
          error === undefined
            ? `reloaded config ${quote(flags.config)}`
            : `reload of ${quote(flags.config)} failed, keeping the previous config: ` +
              escapeTerminal(error),
        ),
    }, stop.signal).catch((error) => {
      throw error instanceof NetError ? netFailure(error.message, error.code, error) : error;
    });
    removeReload = onReloadSignal(() => void exporter.reload());
    const { hostname, port: bound } = exporter.addr;
    const shown = hostname.includes(":") ? `[${hostname}]:${bound}` : `${hostname}:${bound}`;
    this.io.write("stdout", `listening http ${shown}\n`);
    say(`config ${quote(flags.config)}: ${moduleList(config)}`);
    this.io.write("stdout", totalsText(await exporter.done));
    this.process.exitCode = ExitCode.Ok;
  } finally {
    removeReload();
    stop.remove();
  }
}

/** Loads the config; any failure is bad input (exit 2) in one line. */
async function loadOrExplain(path: string): Promise<ExporterConfig> {
  try {
    return await loadConfigFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    // The loader's own errors already name the file.
    if (error instanceof ConfigError) throw new InputError(escapeTerminal(error.message));
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot load config ${quote(path)}: ${escapeTerminal(message)}`, {
      cause: error,
    });
  }
}

function moduleList(config: ExporterConfig): string {
  const names = [...config.modules.keys()];
  const shown = names.slice(0, 10).map((n) => escapeTerminal(n)).join(", ");
  const more = names.length > 10 ? `, … (${names.length - 10} more)` : "";
  return `${names.length} module${names.length === 1 ? "" : "s"}${names.length ? ": " : ""}` +
    shown + more;
}

/** The totals printed when the exporter stops. */
export function totalsText(t: ExporterTotals): string {
  return `probes: ${t.probes} (${t.succeeded} succeeded, ${t.failed} failed); ` +
    `unknown module: ${t.unknownModule}; refused: ${t.rejected}; ` +
    `reloads: ${t.reloads} (${t.failedReloads} failed)\n`;
}

/**
 * netdiag's connect families, behind a module's `netdiag:` options: with `all_addresses`, a TCP
 * connect to every address of the target's name (`netdiag_address_up{address,family}`,
 * `netdiag_address_connect_seconds`); with `connects: N`, N connects to the chosen address, one
 * after the other, summarised as ping does (`netdiag_connect_loss_ratio`,
 * `netdiag_connect_rtt_seconds{quantile}` over the successful ones). Never changes a blackbox
 * series and never fails the probe.
 * @module
 */
import { summarisePing } from "../check/ping.ts";
import { seconds } from "./gauges.ts";
import type { ProberContext } from "./prober.ts";
import type { ChosenAddress } from "./target_address.ts";

async function timedConnect(
  ctx: ProberContext,
  address: string,
  port: number,
): Promise<{ ok: boolean; ms: number }> {
  const t0 = performance.now();
  try {
    const c = await ctx.adapter.connect({
      transport: "tcp",
      hostname: address,
      port,
      timeoutMs: ctx.remainingMs(),
      signal: ctx.signal,
    });
    c.close();
    return { ok: true, ms: performance.now() - t0 };
  } catch {
    return { ok: false, ms: performance.now() - t0 };
  }
}

/** Sets the connect families the module asks for (see the module). */
export async function setAddressExtras(
  ctx: ProberContext,
  chosen: ChosenAddress,
  port: number,
): Promise<void> {
  const opts = ctx.request.module.netdiag;
  const g = ctx.gauges;
  if (opts.allAddresses) {
    const results = await Promise.all(chosen.all.map((a) => timedConnect(ctx, a.address, port)));
    chosen.all.forEach((a, i) => {
      const labels = { address: a.address, family: `ip${a.family}` };
      g.set("netdiag_address_up", results[i].ok ? 1 : 0, labels);
      g.set("netdiag_address_connect_seconds", seconds(results[i].ms), labels);
    });
  }
  if (opts.connects > 1) {
    const attempts: { ok: boolean; ms: number }[] = [];
    for (let i = 0; i < opts.connects && !ctx.signal.aborted; i++) {
      attempts.push(await timedConnect(ctx, chosen.address, port));
    }
    const s = summarisePing(attempts);
    g.set("netdiag_connect_loss_ratio", s.lossPercent / 100);
    if (s.p50 !== undefined) {
      g.set("netdiag_connect_rtt_seconds", seconds(s.p50), { quantile: "0.5" });
      g.set("netdiag_connect_rtt_seconds", seconds(s.p90!), { quantile: "0.9" });
      g.set("netdiag_connect_rtt_seconds", seconds(s.p99!), { quantile: "0.99" });
    }
  }
}

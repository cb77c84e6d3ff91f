/**
 * The completion scripts in real interactive shells: bash, zsh and fish run in a tmux pane, keys
 * are typed (TAB included) and the completed command line is read back from the screen. netdiag
 * is a wrapper script named `netdiag` on PATH that starts the target under test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandLine, runNetdiag, type Target, targets } from "../support/cli.ts";

const have = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const shQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Shell = "bash" | "zsh" | "fish";

/** How each shell starts without user configuration and loads the script from a file. */
const SHELLS: Record<Shell, { argv: string[]; setup: (script: string) => string }> = {
  bash: { argv: ["bash", "--norc", "--noprofile", "-i"], setup: (f) => `PS1='$ '; source ${f}` },
  zsh: {
    argv: ["zsh", "-f", "-i"],
    // LISTMAX: list without asking "do you wish to see all N possibilities?".
    setup: (f) => `PROMPT='$ '; LISTMAX=1000; autoload -Uz compinit; compinit -u; source ${f}`,
  },
  fish: {
    argv: ["fish", "--no-config", "-i"],
    setup: (f) =>
      `function fish_prompt; echo -n '$ '; end; set -g fish_autosuggestion_enabled 0; source ${f}`,
  },
};

/** One shell in a detached tmux session on a private socket. */
class Pane {
  private constructor(private readonly socket: string, readonly shell: Shell) {}

  static async start(shell: Shell, dir: string, work: string, bin: string): Promise<Pane> {
    const pane = new Pane(join(dir, "tmux.sock"), shell);
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, "config"),
      XDG_DATA_HOME: join(dir, "data"),
      HISTFILE: "/dev/null",
      fish_history: "",
      NO_COLOR: "1",
    };
    const r = pane.tmux(
      ["new-session", "-d", "-s", "t", "-x", "160", "-y", "40", "-c", work, ...SHELLS[shell].argv],
      env,
    );
    assert.equal(r.status, 0, r.stderr);
    await pane.waitFor((s) => s.trim() !== "", "the shell to start");
    return pane;
  }

  tmux(args: string[], env?: Record<string, string | undefined>) {
    return spawnSync("tmux", ["-S", this.socket, ...args], { encoding: "utf8", env });
  }

  type(text: string): void {
    this.tmux(["send-keys", "-t", "t", "-l", text]);
  }

  keys(...keys: string[]): void {
    this.tmux(["send-keys", "-t", "t", ...keys]);
  }

  screen(): string {
    return this.tmux(["capture-pane", "-p", "-t", "t"]).stdout;
  }

  /** The last command line on the screen (a line starting with the prompt), trimmed. */
  line(): string {
    const lines = this.screen().split("\n").filter((l) => l.startsWith("$ "));
    return (lines.at(-1) ?? "").slice(2).trimEnd();
  }

  async waitFor(ok: (screen: string) => boolean, what: string, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    let screen = "";
    while (Date.now() < deadline) {
      screen = this.screen();
      if (ok(screen)) return screen;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
  }

  /** Types `text` then TAB, and waits until the line reads `expected`. */
  async complete(text: string, expected: string): Promise<void> {
    this.type(text);
    this.keys("Tab");
    await this.waitFor(() => this.line() === expected, `"${text}<TAB>" to become "${expected}"`)
      .catch((e) => {
        throw new Error(`${e.message}\n(last line: "${this.line()}")`);
      });
    await this.reset();
  }

  /**
   * Types `text` then TAB (twice but in zsh, which lists at the first and cycles at the second)
   * and waits for every word of `shown` on the screen.
   */
  async list(text: string, shown: readonly string[]): Promise<void> {
    this.type(text);
    this.keys("Tab");
    if (this.shell !== "zsh") {
      await sleep(300);
      this.keys("Tab");
    }
    await this.waitFor(
      // fish shortens a long common start to "…", zsh and fish show the whole word.
      (s) => shown.every((w) => new RegExp(`(^|[\\s…:])${w}(\\s|$)`, "m").test(s)),
      `"${text}<TAB><TAB>" to list ${shown.join(", ")}`,
    );
    await this.reset();
  }

  /** Abandons the line being edited and clears the screen. */
  async reset(): Promise<void> {
    // Again until it takes: a C-c that lands while a completion runs only stops that.
    await this.waitFor(() => {
      this.keys("C-c");
      spawnSync("sleep", ["0.2"]);
      this.keys("C-l");
      spawnSync("sleep", ["0.2"]);
      return this.screen().trim() === "$";
    }, "an empty screen with a prompt");
  }

  /** Ends the shell and waits (bounded) until tmux is gone, so nothing writes in the dir after. */
  async stop(): Promise<void> {
    this.tmux(["kill-server"]);
    for (let i = 0; i < 50 && this.tmux(["has-session"]).status === 0; i++) await sleep(50);
    await sleep(200);
  }
}

/** A temp dir with `bin/netdiag` (a wrapper starting `target`), the script, and files. */
async function workspace(target: Target, shell: Shell) {
  const dir = mkdtempSync(join(tmpdir(), `netdiag-${shell}-`));
  const bin = join(dir, "bin");
  const work = join(dir, "work");
  mkdirSync(bin);
  mkdirSync(join(work, "incoming"), { recursive: true });
  writeFileSync(join(work, "report.pdf"), "%PDF\n");
  writeFileSync(join(work, "queries.txt"), "example.com A\n");
  const [cmd, argv] = commandLine(target, []);
  const wrapper = join(bin, "netdiag");
  writeFileSync(wrapper, `#!/bin/sh\nexec ${[cmd, ...argv].map(shQuote).join(" ")} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const r = await runNetdiag(target, ["completions", shell]);
  assert.equal(r.code, 0, r.stderr);
  const script = join(dir, `netdiag.${shell}`);
  writeFileSync(script, r.stdout);
  return { dir, bin, work, script };
}

/** Why `shell` cannot be tested here, or undefined when it can. */
function unavailable(shell: Shell): string | undefined {
  if (!have("tmux")) return "tmux is not installed";
  if (!have(shell)) return `${shell} is not installed`;
  return undefined;
}

for (const target of targets()) {
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const reason = unavailable(shell);
    if (reason) console.log(`skipping the ${shell} completion tests: ${reason}`);
    test(`[${target}] ${shell} completes file names, record types, ports, values and subcommands`, {
      skip: reason,
      timeout: 180_000,
    }, async () => {
      const ws = await workspace(target, shell);
      const pane = await Pane.start(shell, ws.dir, ws.work, ws.bin);
      try {
        // The quotes keep the typed line from matching before the script has loaded.
        pane.type(`${SHELLS[shell].setup(ws.script)}; echo script''-loaded`);
        pane.keys("Enter");
        await pane.waitFor((s) => /^script-loaded$/m.test(s), "the script to load");
        await pane.reset();
        // File names where a command takes files, directories for --dir.
        await pane.complete("netdiag send rep", "netdiag send report.pdf");
        await pane.complete("netdiag dns -f que", "netdiag dns -f queries.txt");
        await pane.complete("netdiag receive --dir inc", "netdiag receive --dir incoming/");
        // Record types after `dns NAME`, in the case being typed.
        await pane.complete("netdiag dns example.com AA", "netdiag dns example.com AAAA");
        await pane.complete("netdiag dns example.com so", "netdiag dns example.com soa");
        await pane.list("netdiag dns example.com ", ["MX", "TXT", "NAPTR"]);
        // Ports from the services table after HOST: (names where probe takes them).
        await pane.complete("netdiag probe localhost:ss", "netdiag probe localhost:ssh");
        await pane.complete("netdiag probe localhost:ht", "netdiag probe localhost:http");
        await pane.list("netdiag connect 127.0.0.1:808", ["8080", "8081", "8088"]);
        // Fixed choices and subcommands.
        await pane.complete("netdiag echo serve --mode up", "netdiag echo serve --mode upper");
        await pane.complete("netdiag echo se", "netdiag echo serve");
      } finally {
        await pane.stop();
        rmSync(ws.dir, { recursive: true, force: true });
      }
    });
  }
}

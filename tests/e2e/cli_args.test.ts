/**
 * Hostile arguments (issue 11) on both targets: names only Object.prototype has, raw control
 * characters, empty and oversized Unix socket paths, unresolvable host names, infinite numbers.
 * Each is refused with one clear `netdiag:` line and exit 2, never a stack trace.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runNetdiag, targets } from "../support/cli.ts";
import { crashSign, rawControl } from "../support/output_checks.ts";

/** One case: the arguments and a pattern the single stderr line must match. */
type Case = readonly [args: readonly string[], line: RegExp];

const INHERITED: Case[] = [
  [["constructor"], /^netdiag: unknown command "constructor" \(see netdiag --help\)$/],
  [["__proto__"], /^netdiag: unknown command "__proto__"/],
  [["toString"], /^netdiag: unknown command "toString"/],
  [["echo", "constructor"], /^netdiag: unknown command "constructor"/],
  [["htons", "--constructor", "1"], /^netdiag: unknown flag "--constructor"$/],
  [["--to-string"], /^netdiag: unknown flag "--to-string"$/],
  [
    ["resolve", "--source", "constructor", "x"],
    /^netdiag: invalid value "constructor" for --source: expected "system", "hosts", "dns" or/,
  ],
];

const CONTROLS: Case[] = [
  [["aton", "1", "x\ny"], /^netdiag: unexpected argument "x\\ny": expected at most 1 argument$/],
  [
    ["completions", "\x1b]0;pwned\x07"],
    /^netdiag: unsupported shell "\\u001b]0;pwned\\u0007": expected bash, zsh or fish$/,
  ],
  [["\u202eevil"], /^netdiag: unknown command "\\u202eevil"/],
];

const UNIX_PATHS: Case[] = [
  [["listen", "--unix", ""], /^netdiag: invalid Unix socket path "": empty$/],
  [["echo", "serve", "--unix", ""], /^netdiag: invalid Unix socket path "": empty$/],
  [["connect", "--unix", ""], /^netdiag: invalid Unix socket path "": empty$/],
  [["echo", "test", "--unix", ""], /^netdiag: invalid Unix socket path "": empty$/],
  [["receive", "--dir", ".", "--unix", ""], /^netdiag: invalid Unix socket path "": empty$/],
  [["listen", "--unix", "/" + "a".repeat(107)], /: 108 bytes, at most 107 allowed/],
];

const HOSTS: Case[] = [
  [["listen", "0", "--host", "☃.test"], /^netdiag: invalid host "☃\.test": not ASCII/],
  [["echo", "serve", "0", "--host", "☃.test"], /^netdiag: invalid host "☃\.test": not ASCII/],
  [["receive", "--dir", ".", "--host", "a b"], /^netdiag: invalid host "a b": contains white/],
];

const INFINITE: Case[] = [
  [
    ["receive", "--dir", ".", "--max-size", "1e400"],
    /^netdiag: invalid max size "1e400": not a finite number; expected/,
  ],
  [["echo", "test", "--size", "1e400", "1"], /^netdiag: invalid size "1e400": not a finite number/],
  [["echo", "test", "--count", "1e400", "1"], /^netdiag: invalid count "1e400": not a finite/],
  [["echo", "serve", "--idle-timeout", "1e400"], /"1e400": not a finite number; expected a dur/],
  [["htons", "1e400"], /^netdiag: invalid 16-bit value for htons "1e400": not a finite number/],
];

const GROUPS: [string, Case[]][] = [
  ["a name only Object.prototype has is an unknown command or flag", INHERITED],
  ["a control character in an argument is escaped in the message", CONTROLS],
  // (A NUL byte cannot be passed in argv; tests/unit/unix_path.test.ts covers it.)
  ["an empty or over-long Unix socket path is bad input", UNIX_PATHS],
  ["a --host that is no IP address or host name is bad input", HOSTS],
  ["an infinite number is quoted as typed and called not finite", INFINITE],
];

for (const target of targets()) {
  for (const [behaviour, cases] of GROUPS) {
    test(`[${target}] ${behaviour}: one line, exit 2`, async () => {
      for (const [args, line] of cases) {
        const r = await runNetdiag(target, args, { timeoutMs: 20_000 });
        const label = `${JSON.stringify(args)}: ${r.stderr}`;
        assert.equal(r.code, 2, label);
        assert.equal(r.stdout, "", label);
        assert.equal(crashSign(r.stderr), undefined, label);
        assert.equal(rawControl(r.stderr), undefined, label);
        assert.equal(r.stderr.split("\n").length, 2, label);
        assert.match(r.stderr.trimEnd(), line, label);
      }
    });
  }
}

const UNRESOLVABLE: readonly (readonly string[])[] = [
  ["listen", "0", "--host", "nonexistent.invalid"],
  ["echo", "serve", "0", "--host", "nonexistent.invalid"],
  ["receive", "--dir", ".", "--host", "nonexistent.invalid"],
];

for (const target of targets()) {
  test(`[${target}] a server --host that does not resolve is one "cannot resolve" line, exit 3`, async () => {
    for (const args of UNRESOLVABLE) {
      const r = await runNetdiag(target, args, { timeoutMs: 20_000 });
      const label = `${JSON.stringify(args)}: ${r.stderr}`;
      assert.equal(r.code, 3, label);
      assert.equal(crashSign(r.stderr), undefined, label);
      assert.match(r.stderr, /^netdiag: cannot resolve "nonexistent\.invalid": /m, label);
      assert.doesNotMatch(r.stderr, /unknown error|: Error$/m, label);
    }
  });

  test(`[${target}] a Unix path over the sun_path limit is bad input for send and probe`, async () => {
    const long = "/tmp/" + "x".repeat(120);
    for (const args of [["send", "/etc/hostname", long], ["probe", `unix:${long}`]]) {
      const r = await runNetdiag(target, args, { timeoutMs: 20_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /invalid Unix socket path .*at most 107 allowed/, r.stderr);
    }
  });
}

/**
 * install.sh end to end: a local HTTP server on 127.0.0.1 serves the release (its linux-x64
 * archive and SHA256SUMS), and install.sh runs under dash with only the commands it needs on
 * PATH (curl or wget, not both), under busybox sh with busybox's applets (as on Alpine), then the
 * installed netdiag runs. A corrupted archive, a SHA256SUMS without the line and a missing
 * version are refused with nothing installed; stubbed uname/getconf/ldd/sysctl check the target
 * detection (musl, arm64, Rosetta).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { arch, tmpdir } from "node:os";
import { ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { archiveFor, releaseDir } from "./release_dir.ts";
import { run, unpackExecutable } from "./run_executable.ts";
import { removeAtExit } from "./cleanup.ts";

const INSTALLER = join(ROOT, "install.sh");
const DASH = "/bin/dash";
const BUSYBOX = "/bin/busybox";
/** Every command install.sh runs (besides the downloader), and nothing else. */
const TOOLS = [
  "uname",
  "getconf",
  "ldd",
  "mktemp",
  "rm",
  "mkdir",
  "cp",
  "mv",
  "chmod",
  "tar",
  "gzip",
  "awk",
  "grep",
  "sha256sum",
];

const dir = releaseDir();
const archive = archiveFor("linux-x64", dir);
const work = removeAtExit(mkdtempSync(join(tmpdir(), "netdiag-install-")));
const sums = readFileSync(join(dir, "SHA256SUMS"), "utf8");
let server: Server;
let base = "";

function which(name: string): string {
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${name} not found (needed by the installer tests)`);
  return r.stdout.trim();
}

/** A directory holding links to exactly these commands (all to `busybox` when given). */
function toolDir(name: string, tools: readonly string[], busybox?: string): string {
  const bin = join(work, `bin-${name}`);
  mkdirSync(bin);
  for (const tool of tools) {
    symlinkSync(busybox && tool !== "getconf" ? busybox : which(tool), join(bin, tool));
  }
  return bin;
}

/** Commands that print what a test system would say. */
function stubs(name: string, scripts: Record<string, string>): string {
  const bin = join(work, `stub-${name}`);
  mkdirSync(bin);
  for (const [tool, body] of Object.entries(scripts)) {
    writeFileSync(join(bin, tool), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return bin;
}

function uname(os: string, arch: string): string {
  return `case "$1" in -s) echo ${os} ;; -m) echo ${arch} ;; *) echo ${os} ;; esac`;
}

/**
 * Serves the release under /good/; under /corrupt/ the linux-x64 archive has a flipped byte;
 * /noline/'s SHA256SUMS lacks its line, /none/'s has no archive at all, /evil/'s names one with a
 * path.
 */
function serve(): Promise<Server> {
  const archiveBytes = readFileSync(archive!.path);
  const corrupt = new Uint8Array(archiveBytes);
  corrupt[corrupt.length >> 1] ^= 0x01;
  const noLine = sums.split("\n").filter((l) => !l.includes("-linux-x64.tar.gz")).join("\n");
  const s = createServer((req, res) => {
    const [, variant, file] = (req.url ?? "").split("/");
    const send = (body: Uint8Array | string) => {
      res.writeHead(200, { "content-length": String(body.length) });
      res.end(body);
    };
    if (file === "SHA256SUMS") {
      const evil = `${"0".repeat(64)}  netdiag-1/../../x-linux-x64.tar.gz\n`;
      const none = `${"0".repeat(64)}  x\n`;
      const bodies: Record<string, string> = { noline: noLine, none, evil };
      return send(bodies[variant] ?? sums);
    }
    if (variant === "corrupt" && file === archive!.file) return send(corrupt);
    const path = join(dir, file ?? "");
    if (!file || file.includes("..") || !existsSync(path)) {
      res.writeHead(404);
      return res.end("not found");
    }
    res.writeHead(200);
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

interface Install {
  code: number | null;
  stdout: string;
  stderr: string;
  installDir: string;
}

let runs = 0;
/** Runs install.sh with `shell`, PATH = `path`, into a fresh directory. */
async function install(
  shell: string[],
  path: string[],
  env: Record<string, string> = {},
): Promise<Install> {
  const installDir = join(work, `installed-${++runs}`);
  const r = await run(shell[0], [...shell.slice(1), INSTALLER], {
    env: {
      PATH: path.join(":"),
      NETDIAG_INSTALL_DIR: installDir,
      HOME: join(work, "home"),
      ...env,
    },
  });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, installDir };
}

let curlTools = "";
let wgetTools = "";

before(async () => {
  assert.ok(archive, "the release has a linux-x64 archive");
  assert.ok(existsSync(DASH), `${DASH} is needed: apt-get install dash`);
  server = await serve();
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  curlTools = toolDir("curl", [...TOOLS, "curl"]);
  wgetTools = toolDir("wget", [...TOOLS, "wget"]);
});

after(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function expectInstalled(r: Install, file = join(r.installDir, "netdiag")) {
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stderr, /target linux-x64, from /);
  assert.match(r.stderr, /checksum OK/);
  assert.deepEqual(readdirSync(join(file, "..")), ["netdiag"], "only netdiag, no leftovers");
  const installed = await run(file, ["htons", "20000"]);
  assert.equal(installed.stdout, "8270\n", installed.stderr);
  const version = (await run(file, ["--version"])).stdout;
  const exe = unpackExecutable(archive!);
  try {
    assert.equal(version, (await run(exe, ["--version"])).stdout, "the archive's netdiag");
    assert.ok(r.stdout.includes(`installed ${version.trim()} as ${file}`), r.stdout);
  } finally {
    for (const dir of [exe, file]) rmSync(join(dir, ".."), { recursive: true, force: true });
  }
}

test("install.sh under dash with curl installs the verified linux-x64 netdiag, says how to put it on PATH", async () => {
  const r = await install([DASH], [curlTools], { NETDIAG_BASE_URL: `${base}/good` });
  await expectInstalled(r);
  assert.ok(r.stdout.includes(`${r.installDir} is not on your PATH`), r.stdout);
  assert.ok(r.stdout.includes(`export PATH="${r.installDir}:$PATH"`), r.stdout);
});

test("install.sh under dash with wget (no curl) installs it; no PATH advice when the directory is on PATH", async () => {
  const installDir = join(work, "on-path");
  const r = await install([DASH], [wgetTools, installDir], {
    NETDIAG_BASE_URL: `${base}/good/`,
    NETDIAG_INSTALL_DIR: installDir,
  });
  await expectInstalled({ ...r, installDir });
  assert.ok(!r.stdout.includes("not on your PATH"), r.stdout);
  assert.match(r.stdout, /run: netdiag --help/);
});

test(
  "install.sh under busybox sh with busybox's wget, tar, sha256sum… installs into ~/.local/bin",
  async () => {
    assert.ok(existsSync(BUSYBOX), `${BUSYBOX} is needed: apt-get install busybox`);
    const tools = toolDir("busybox", [...TOOLS.filter((t) => t !== "ldd"), "wget"], BUSYBOX);
    const r = await install([BUSYBOX, "sh"], [tools], {
      NETDIAG_BASE_URL: `${base}/good`,
      NETDIAG_INSTALL_DIR: "",
    });
    await expectInstalled(r, join(work, "home", ".local", "bin", "netdiag"));
    assert.ok(r.stdout.includes('export PATH="$HOME/.local/bin:$PATH"'), r.stdout);
  },
);

test("NETDIAG_VERSION picks that version's archive; a version the release lacks is refused", async () => {
  const version = archive!.stem.split("-")[1];
  const ok = await install([DASH], [curlTools], {
    NETDIAG_BASE_URL: `${base}/good`,
    NETDIAG_VERSION: `v${version}`,
  });
  await expectInstalled(ok);
  const missing = await install([DASH], [curlTools], {
    NETDIAG_BASE_URL: `${base}/good`,
    NETDIAG_VERSION: "9.9.9",
  });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /has no line for netdiag-9\.9\.9-linux-x64\.tar\.gz: refusing/);
  assert.ok(!existsSync(missing.installDir), "nothing installed");
});

test("a corrupted archive is refused: checksum mismatch, exit 1, an installed netdiag left as it was", async () => {
  const installDir = join(work, "has-old");
  mkdirSync(installDir);
  writeFileSync(join(installDir, "netdiag"), "old netdiag\n");
  const r = await install([DASH], [curlTools], {
    NETDIAG_BASE_URL: `${base}/corrupt`,
    NETDIAG_INSTALL_DIR: installDir,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /error: checksum mismatch for netdiag-.*-linux-x64\.tar\.gz: SHA256SUMS says [0-9a-f]{64}, the download is [0-9a-f]{64}\. .*nothing was installed/,
  );
  assert.deepEqual(readdirSync(installDir), ["netdiag"]);
  assert.equal(readFileSync(join(installDir, "netdiag"), "utf8"), "old netdiag\n");
  assert.equal(r.stdout, "");
});

test("SHA256SUMS without a line for the target is refused, nothing installed", async () => {
  const r = await install([DASH], [wgetTools], { NETDIAG_BASE_URL: `${base}/noline` });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /SHA256SUMS at .* has no line for a linux-x64 archive: refusing/);
  assert.ok(!existsSync(r.installDir), "nothing installed");
});

test("SHA256SUMS naming an archive with a path is refused before any download", async () => {
  const r = await install([DASH], [curlTools], { NETDIAG_BASE_URL: `${base}/evil` });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unexpected archive name "netdiag-1\/\.\.\/\.\.\/x-linux-x64\.tar\.gz"/);
  assert.ok(!existsSync(r.installDir));
});

const armArchive = archiveFor("linux-arm64", dir);
const binfmt = existsSync("/proc/sys/fs/binfmt_misc/qemu-aarch64");
const wrongSkip = arch() !== "x64"
  ? "this machine is not x86-64"
  : !armArchive
  ? "the release has no linux-arm64 archive"
  : binfmt
  ? "arm64 executables run here (binfmt_misc has qemu-aarch64)"
  : false;
if (wrongSkip) console.log(`install.sh wrong-CPU test skipped: ${wrongSkip}`);

test(
  "a verified build that cannot run here (NETDIAG_TARGET=linux-arm64 on x86-64) is refused, nothing installed",
  {
    skip: wrongSkip,
  },
  async () => {
    const r = await install([DASH], [curlTools], {
      NETDIAG_BASE_URL: `${base}/good`,
      NETDIAG_TARGET: "linux-arm64",
    });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /checksum OK/);
    assert.match(r.stderr, /error: the downloaded netdiag does not run on this system/);
    assert.ok(!existsSync(r.installDir), "nothing installed");
  },
);

test("an unreachable base URL fails with the URL named, nothing installed", async () => {
  const r = await install([DASH], [curlTools], { NETDIAG_BASE_URL: `${base}/good/missing-dir` });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /could not download .*\/good\/missing-dir\/SHA256SUMS/);
  assert.ok(!existsSync(r.installDir));
});

const DETECTION: [string, Record<string, string>, string][] = [
  ["glibc x86_64 (getconf)", { uname: uname("Linux", "x86_64") }, "linux-x64"],
  [
    "musl x86_64 (no glibc: getconf fails, ldd says musl)",
    {
      uname: uname("Linux", "x86_64"),
      getconf: "exit 1",
      ldd: 'echo "musl libc (x86_64)" >&2; echo "Version 1.2.5" >&2; exit 1',
    },
    "linux-x64-musl",
  ],
  [
    "glibc without getconf (ldd says GNU libc)",
    { uname: uname("Linux", "x86_64"), getconf: "exit 1", ldd: 'echo "ldd (GNU libc) 2.39"' },
    "linux-x64",
  ],
  ["glibc aarch64", { uname: uname("Linux", "aarch64") }, "linux-arm64"],
  [
    "musl aarch64",
    { uname: uname("Linux", "aarch64"), getconf: "exit 1", ldd: "echo musl libc >&2; exit 1" },
    "linux-arm64-musl",
  ],
  ["macOS on Intel", { uname: uname("Darwin", "x86_64"), sysctl: "echo 0" }, "darwin-x64"],
  ["macOS on Apple silicon", { uname: uname("Darwin", "arm64") }, "darwin-arm64"],
  [
    "macOS: an x86_64 shell under Rosetta 2 gets the native build",
    { uname: uname("Darwin", "x86_64"), sysctl: "echo 1" },
    "darwin-arm64",
  ],
];

for (const [name, scripts, target] of DETECTION) {
  test(`target detection: ${name} → ${target}`, async () => {
    const r = await install([DASH], [stubs(name.replace(/\W+/g, "-"), scripts), curlTools], {
      NETDIAG_BASE_URL: `${base}/none`,
    });
    assert.match(r.stderr, new RegExp(`target ${target}, from `));
    assert.equal(r.code, 1, "refused: the served SHA256SUMS has no line for it");
    assert.ok(!existsSync(r.installDir));
  });
}

test("target detection: an OS or CPU without a build is refused, naming it", async () => {
  for (
    const [os, arch, message] of [["FreeBSD", "amd64", /no netdiag build for FreeBSD/], [
      "Linux",
      "riscv64",
      /no netdiag build for the CPU riscv64/,
    ]] as const
  ) {
    const r = await install(
      [DASH],
      [stubs(`${os}-${arch}`, { uname: uname(os, arch) }), curlTools],
      {
        NETDIAG_BASE_URL: `${base}/good`,
      },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, message);
  }
});

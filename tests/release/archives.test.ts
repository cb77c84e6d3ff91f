/**
 * The release artifacts (scripts/release): SHA256SUMS covers every archive and verifies; each
 * archive holds netdiag-VERSION-TARGET/ with the executable, README.md and LICENSE, with fixed
 * owner, modes and mtime; each executable has the format of its target (`file`, and a code
 * signature for macOS); packaging the same inputs again gives the same bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import process from "node:process";
import { tmpdir } from "node:os";
import { ROOT } from "../support/cli.ts";
import { join } from "../support/paths.ts";
import { type ArchiveEntry, readArchive } from "./archive_reader.ts";
import { expectedTargets, releaseArchives, releaseDir } from "./release_dir.ts";

/** What `file -b` says about each target's executable. */
const FORMATS: Record<string, RegExp> = {
  "linux-x64": /^ELF 64-bit LSB .*x86-64.*interpreter \/lib64\/ld-linux-x86-64\.so\.2/,
  "linux-x64-musl": /^ELF 64-bit LSB .*x86-64.*interpreter \/lib\/ld-musl-x86_64\.so\.1/,
  "linux-arm64": /^ELF 64-bit LSB .*ARM aarch64.*interpreter \/lib\/ld-linux-aarch64\.so\.1/,
  "linux-arm64-musl": /^ELF 64-bit LSB .*ARM aarch64.*interpreter \/lib\/ld-musl-aarch64\.so\.1/,
  "darwin-x64": /^Mach-O 64-bit x86_64 executable/,
  "darwin-arm64": /^Mach-O 64-bit arm64 executable/,
  "windows-x64": /^PE32\+ executable \(console\) x86-64, for MS Windows/,
};

const LC_CODE_SIGNATURE = 0x1d;

/** The load commands of a 64-bit little-endian Mach-O executable. */
function machoLoadCommands(exe: Uint8Array): number[] {
  const view = new DataView(exe.buffer, exe.byteOffset, exe.byteLength);
  assert.equal(view.getUint32(0, true), 0xfeedfacf, "Mach-O 64-bit magic");
  const count = view.getUint32(16, true);
  const commands: number[] = [];
  for (let i = 0, p = 32; i < count; i++) {
    commands.push(view.getUint32(p, true));
    p += view.getUint32(p + 4, true);
  }
  return commands;
}

function fileType(data: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "netdiag-exe-"));
  try {
    const path = join(dir, "exe");
    writeFileSync(path, data);
    const r = spawnSync("file", ["-b", path], { encoding: "utf8" });
    if (r.error) {
      throw new Error(`cannot run file(1) (${r.error.message}): apt-get install file`);
    }
    return r.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const dir = releaseDir();
const archives = releaseArchives(dir);

test("SHA256SUMS lists every archive in the release directory, and nothing else", () => {
  const onDisk = readdirSync(dir).filter((f) => /^netdiag-.*\.(tar\.gz|zip)$/.test(f)).sort();
  assert.ok(onDisk.length > 0, "no archives");
  assert.deepEqual(archives.map((a) => a.file).sort(), onDisk);
});

test("sha256sum -c SHA256SUMS passes for every archive", () => {
  const r = spawnSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], {
    cwd: dir,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const ok = r.stdout.trim().split("\n").filter((l) => l.endsWith(": OK"));
  assert.equal(ok.length, archives.length, r.stdout);
});

const expected = expectedTargets();
test(
  "the release holds an archive for every target it should",
  { skip: expected ? false : "NETDIAG_RELEASE_TARGETS is not set: any set of targets passes" },
  () => {
    const bun = archives.filter((a) => a.compiler === "bun").map((a) => a.target).sort();
    assert.deepEqual(bun, [...expected!].sort());
  },
);

for (const archive of archives) {
  test(`${archive.file}: ${archive.stem}/ holds the executable, README.md and LICENSE, owner 0:0, modes 755/644, one mtime; ${archive.target} executable format`, () => {
    const entries = readArchive(archive.path);
    const exeName = archive.executable.slice(archive.stem.length + 1);
    const zip = archive.file.endsWith(".zip");
    const names = entries.map((e) => e.name);
    const files = [`${archive.stem}/LICENSE`, `${archive.stem}/README.md`, archive.executable];
    assert.deepEqual(names, zip ? files : [`${archive.stem}/`, ...files], "entries, in order");
    const by = (name: string) => entries.find((e) => e.name === name) as ArchiveEntry;
    for (const e of entries) {
      const executable = e.type === "dir" || e.name === archive.executable;
      assert.equal(e.mode, executable ? 0o755 : 0o644, `mode of ${e.name}`);
      if (zip) {
        assert.equal(e.extraLength, 0, `${e.name}: no extra fields (zip -X)`);
      } else {
        assert.deepEqual([e.uid, e.gid, e.uname, e.gname], [0, 0, "", ""], `owner of ${e.name}`);
      }
    }
    assert.equal(new Set(entries.map((e) => e.mtime)).size, 1, "one mtime for every entry");
    assert.deepEqual(
      by(`${archive.stem}/LICENSE`).data,
      new Uint8Array(readFileSync(join(ROOT, "LICENSE"))),
    );
    assert.match(new TextDecoder().decode(by(`${archive.stem}/README.md`).data), /^# netdiag\n/);
    const exe = by(archive.executable).data;
    assert.ok(exe.length > 10_000_000, `${exeName} is ${exe.length} bytes`);
    assert.match(
      fileType(exe),
      FORMATS[archive.target],
      `${exeName}: format for ${archive.target}`,
    );
    if (archive.target.startsWith("darwin-") && archive.compiler === "bun") {
      assert.ok(
        machoLoadCommands(exe).includes(LC_CODE_SIGNATURE),
        "signed (ad hoc): macOS on arm64 kills unsigned executables",
      );
    }
  });
}

test("packaging is reproducible: the linux-x64 archive's own inputs packaged again give the same bytes", () => {
  const original = archives.find((a) => a.target === "linux-x64" && a.compiler === "bun");
  assert.ok(original, "the release has a linux-x64 archive");
  const entries = readArchive(original.path);
  const work = mkdtempSync(join(tmpdir(), "netdiag-repack-"));
  try {
    const docs = join(work, "docs");
    const out = join(work, "out");
    mkdirSync(docs);
    for (const name of ["README.md", "LICENSE"]) {
      writeFileSync(join(docs, name), entries.find((e) => e.name.endsWith(`/${name}`))!.data);
    }
    const exe = join(work, "netdiag");
    writeFileSync(exe, entries.find((e) => e.name === original.executable)!.data);
    const r = spawnSync("bash", [
      "scripts/release",
      "--targets",
      "linux-x64",
      "--prebuilt",
      `linux-x64=${exe}`,
      "--docs",
      docs,
      "--out",
      out,
    ], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, SOURCE_DATE_EPOCH: String(entries[0].mtime) },
    });
    assert.equal(r.status, 0, r.stderr);
    const again = releaseArchives(out);
    assert.equal(again.length, 1);
    assert.equal(again[0].file, original.file);
    assert.equal(again[0].sha256, original.sha256, "same archive bytes");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

/**
 * Reads the release archives exactly, for the release tests: the entries of a `.tar.gz` (GNU/ustar
 * headers: name, mode, owner, mtime, type) and of a `.zip` (central directory: name, Unix mode,
 * DOS time, extra fields), with their contents.
 * @module
 */
import { readFileSync } from "node:fs";
import { gunzipSync, inflateRawSync } from "node:zlib";

/** One file or directory in an archive. */
export interface ArchiveEntry {
  /** The path inside the archive; directories end in `/`. */
  readonly name: string;
  /** `file` or `dir`. */
  readonly type: "file" | "dir";
  /** The permission bits (e.g. 0o755). */
  readonly mode: number;
  /** Owner and group ids (tar only; zip: undefined). */
  readonly uid?: number;
  readonly gid?: number;
  /** Owner and group names (tar only; empty with --numeric-owner). */
  readonly uname?: string;
  readonly gname?: string;
  /** Modification time, seconds since the epoch (zip: the DOS time read as UTC). */
  readonly mtime: number;
  /** The length of the entry's extra fields (zip only). */
  readonly extraLength?: number;
  /** The contents (empty for directories). */
  readonly data: Uint8Array;
}

const decoder = new TextDecoder();

function field(block: Uint8Array, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return decoder.decode(end === -1 ? raw : raw.subarray(0, end));
}

function octal(block: Uint8Array, offset: number, length: number): number {
  return parseInt(field(block, offset, length).trim() || "0", 8);
}

/** The entries of a gzip-compressed tar archive, in archive order. */
export function readTarGz(path: string): ArchiveEntry[] {
  const tar = new Uint8Array(gunzipSync(readFileSync(path)));
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const size = octal(header, 124, 12);
    const typeflag = String.fromCharCode(header[156]);
    if (typeflag !== "0" && typeflag !== "5" && typeflag !== "\0") {
      throw new Error(`${path}: unexpected tar entry type "${typeflag}" for ${name}`);
    }
    const start = offset + 512;
    entries.push({
      name,
      type: typeflag === "5" ? "dir" : "file",
      mode: octal(header, 100, 8) & 0o7777,
      uid: octal(header, 108, 8),
      gid: octal(header, 116, 8),
      uname: field(header, 265, 32),
      gname: field(header, 297, 32),
      mtime: octal(header, 136, 12),
      data: tar.subarray(start, start + size),
    });
    offset = start + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** The entries of a zip archive, in central-directory order (stored or deflated). */
export function readZip(path: string): ArchiveEntry[] {
  const zip = new Uint8Array(readFileSync(path));
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${path}: no end of central directory`);
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const entries: ArchiveEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error(`${path}: bad central entry`);
    const method = view.getUint16(p + 10, true);
    const time = view.getUint16(p + 12, true);
    const date = view.getUint16(p + 14, true);
    const compressed = view.getUint32(p + 20, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const local = view.getUint32(p + 42, true);
    const name = decoder.decode(zip.subarray(p + 46, p + 46 + nameLength));
    const localData = local + 30 + view.getUint16(local + 26, true) +
      view.getUint16(local + 28, true);
    const raw = zip.subarray(localData, localData + compressed);
    const data = method === 0 ? raw : new Uint8Array(inflateRawSync(raw));
    const mtime = Date.UTC(
      (date >> 9) + 1980,
      ((date >> 5) & 0xf) - 1,
      date & 0x1f,
      time >> 11,
      (time >> 5) & 0x3f,
      (time & 0x1f) * 2,
    ) / 1000;
    entries.push({
      name,
      type: name.endsWith("/") ? "dir" : "file",
      mode: (external >>> 16) & 0o7777,
      mtime,
      extraLength,
      data,
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entries of a release archive, by its extension. */
export function readArchive(path: string): ArchiveEntry[] {
  return path.endsWith(".zip") ? readZip(path) : readTarGz(path);
}

/**
 * File-system errors as `receive` reports them: the errno code of a Node-style error, and a
 * short description that names the cause before the code (`no space left on device (ENOSPC)`).
 * @module
 */

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EFBIG: "file too large for the file system or the process limit",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  ENOENT: "no such file or directory",
  EEXIST: "file exists",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  EINVAL: "invalid argument",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
};

/**
 * Errno numbers as Linux (and, but for EDQUOT, macOS) numbers them, for errors that carry only
 * a message such as Deno's `File too large (os error 27)`.
 */
const ERRNO_CODES: Readonly<Record<number, string>> = {
  1: "EPERM",
  2: "ENOENT",
  5: "EIO",
  13: "EACCES",
  17: "EEXIST",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  27: "EFBIG",
  28: "ENOSPC",
  30: "EROFS",
  122: "EDQUOT",
};

/**
 * The errno code of a file-system error (`ENOSPC`): its `code`, else the code of the
 * `(os error N)` its message ends with, else its message, else its text.
 */
export function fsErrorCode(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  if (typeof e?.code === "string") return e.code;
  if (typeof e?.message !== "string") return String(error);
  const errno = /\(os error (\d+)\)$/.exec(e.message);
  return (errno && ERRNO_CODES[Number(errno[1])]) ?? e.message;
}

/** `no space left on device (ENOSPC)`; an unknown code or an error without one as it is. */
export function describeFsError(error: unknown): string {
  const code = fsErrorCode(error);
  const description = DESCRIPTIONS[code];
  return description ? `${description} (${code})` : code;
}

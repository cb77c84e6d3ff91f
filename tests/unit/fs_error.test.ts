import { test } from "node:test";
import assert from "node:assert/strict";
import { describeFsError, fsErrorCode } from "../../lib/core/fs_error.ts";

test("describeFsError() names the cause before the code for disk-full and I/O errors", () => {
  const err = (code: string) => Object.assign(new Error("x"), { code });
  assert.equal(describeFsError(err("ENOSPC")), "no space left on device (ENOSPC)");
  assert.equal(describeFsError(err("EDQUOT")), "disk quota exceeded (EDQUOT)");
  assert.equal(describeFsError(err("EIO")), "input/output error (EIO)");
  assert.equal(describeFsError(err("EWHATEVER")), "EWHATEVER");
});

test("fsErrorCode() reads the code of a message-only error such as Deno's (os error N)", () => {
  assert.equal(fsErrorCode(new Error("No space left on device (os error 28)")), "ENOSPC");
  assert.equal(fsErrorCode(new Error("File too large (os error 27)")), "EFBIG");
  assert.equal(fsErrorCode(new Error("Invalid argument (os error 22)")), "EINVAL");
  assert.equal(fsErrorCode(new Error("odd (os error 9999)")), "odd (os error 9999)");
  assert.equal(fsErrorCode("plain"), "plain");
  assert.equal(
    describeFsError(new Error("Input/output error (os error 5)")),
    "input/output error (EIO)",
  );
});

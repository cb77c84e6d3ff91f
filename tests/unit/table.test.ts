import { test } from "node:test";
import assert from "node:assert/strict";
import { formatTable, visibleWidth } from "../../lib/output/table.ts";

test("visibleWidth counts plain text by its length and gives colour escapes no room", () => {
  assert.equal(visibleWidth("open"), 4);
  assert.equal(visibleWidth("\x1b[32mopen\x1b[0m"), 4);
  assert.equal(visibleWidth("\x1b[1;31mx\x1b[0m y"), 3);
});

test("formatTable aligns a coloured cell as it aligns the same plain one", () => {
  const rows = [["a", "\x1b[32mopen\x1b[0m", "1"], ["bbb", "closed", "22"]];
  const text = formatTable(["H", "STATE", "N"], rows, { align: ["left", "left", "right"] });
  assert.equal(
    // deno-lint-ignore no-control-regex
    text.replace(/\x1b\[[0-9;]*m/g, ""),
    "H    STATE    N\na    open     1\nbbb  closed  22\n",
  );
});

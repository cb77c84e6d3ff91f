/** Bytes per line of a hex dump. */
export const HEX_DUMP_WIDTH = 16;

/**
 * Formats bytes as a hex+ASCII listing like `hexdump -C`, one line per 16 bytes:
 * `00000010  48 54 54 50 2f 31 2e 30  20 32 30 30 20 4f 4b 0d  |HTTP/1.0 200 OK.|`.
 * `offset` is the stream position of the first byte, so successive chunks of one stream
 * continue the numbering; the last line of a chunk may be short (padded so columns align).
 * Non-printable bytes show as `.` in the ASCII column. Empty input gives "".
 */
export function formatHexDump(bytes: Uint8Array, offset = 0): string {
  let out = "";
  for (let start = 0; start < bytes.length; start += HEX_DUMP_WIDTH) {
    const line = bytes.subarray(start, start + HEX_DUMP_WIDTH);
    let hex = "";
    let ascii = "";
    for (let i = 0; i < HEX_DUMP_WIDTH; i++) {
      if (i === 8) hex += " ";
      if (i < line.length) {
        const b = line[i];
        hex += b.toString(16).padStart(2, "0") + " ";
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
      } else {
        hex += "   ";
      }
    }
    const position = (offset + start).toString(16).padStart(8, "0");
    out += `${position}  ${hex} |${ascii}|\n`;
  }
  return out;
}
